package org.ffspark.optim;

import org.ffspark.linalg.ReusedArrays;

/**
 * Adam (Kingma and Ba, 2015) with the exact arithmetic of PyTorch's {@code torch.optim.Adam} (no
 * amsgrad), so runs compare with the notebook:
 * {@code p -= (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)}; a weight decay is added to the
 * gradient first ({@code g += weightDecay * p}), as PyTorch's {@code weight_decay} does.
 *
 * <p>The moments are float arrays like the parameters, and the arithmetic is float32 like PyTorch's.
 */
public final class Adam extends Optimizer {
    private final float[] firstMoment;
    private final float[] secondMoment;

    public Adam(OptimizerSettings settings, int size) {
        super(settings);
        this.firstMoment = ReusedArrays.zeros(size);
        this.secondMoment = ReusedArrays.zeros(size);
    }

    @Override
    protected void update(float[] parameters, float[] gradient, boolean clear, int from, int to) {
        float stepSize = (float) (learningRate / (1 - Math.pow(settings.beta1(), steps)));
        float correction2 = (float) Math.sqrt(1 - Math.pow(settings.beta2(), steps));
        // 1 - beta in double first: in float, 1 - 0.999f loses four digits to cancellation.
        float keep1 = (float) (1 - settings.beta1());
        float beta2 = (float) settings.beta2();
        float keep2 = (float) (1 - settings.beta2());
        float eps = (float) settings.epsilon();
        float decay = (float) settings.weightDecay();
        // One pass in float32, as PyTorch computes it on float32 tensors, with nothing carried from
        // one element to the next, so the JIT vectorises it (a double version costs five times as
        // much, and this runs every step). Without decay the gradient is taken as it is: adding
        // 0 * p would turn a -0 gradient into +0 and cost a read of p.
        if (decay == 0f) {
            for (int i = from; i < to; i++) {
                float g = gradient[i];
                if (clear) {
                    gradient[i] = 0f;
                }
                float m = firstMoment[i] + (g - firstMoment[i]) * keep1;
                float v = secondMoment[i] * beta2 + keep2 * g * g;
                firstMoment[i] = m;
                secondMoment[i] = v;
                parameters[i] = parameters[i] - stepSize * m / ((float) Math.sqrt(v) / correction2 + eps);
            }
            return;
        }
        for (int i = from; i < to; i++) {
            float g = gradient[i] + decay * parameters[i];
            if (clear) {
                gradient[i] = 0f;
            }
            float m = firstMoment[i] + (g - firstMoment[i]) * keep1;
            float v = secondMoment[i] * beta2 + keep2 * g * g;
            firstMoment[i] = m;
            secondMoment[i] = v;
            parameters[i] = parameters[i] - stepSize * m / ((float) Math.sqrt(v) / correction2 + eps);
        }
    }

    /** The first-moment estimates (live; checkpoints copy them). */
    @Override
    public float[] firstMoment() {
        return firstMoment;
    }

    /** The second-moment estimates (live; checkpoints copy them). */
    @Override
    public float[] secondMoment() {
        return secondMoment;
    }
}
