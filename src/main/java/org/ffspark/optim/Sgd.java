package org.ffspark.optim;

import org.ffspark.linalg.ReusedArrays;

/**
 * Stochastic gradient descent with momentum, PyTorch's {@code torch.optim.SGD} (no dampening, no
 * Nesterov): {@code g += weightDecay * p; v = momentum * v + g; p -= lr * v}, in float32. The velocity
 * starts at zero, which makes the first step {@code v = g} as PyTorch's does.
 */
public final class Sgd extends Optimizer {
    private final float[] velocity;
    private static final float[] NONE = new float[0];

    public Sgd(OptimizerSettings settings, int size) {
        super(settings);
        this.velocity = ReusedArrays.zeros(size);
    }

    @Override
    protected void update(float[] parameters, float[] gradient, boolean clear, int from, int to) {
        float rate = (float) learningRate;
        float mu = (float) settings.momentum();
        float decay = (float) settings.weightDecay();
        for (int i = from; i < to; i++) {
            float g = gradient[i] + decay * parameters[i];
            if (clear) {
                gradient[i] = 0f;
            }
            float v = mu * velocity[i] + g;
            velocity[i] = v;
            parameters[i] = parameters[i] - rate * v;
        }
    }

    @Override
    public float[] firstMoment() {
        return velocity;
    }

    @Override
    public float[] secondMoment() {
        return NONE;
    }
}
