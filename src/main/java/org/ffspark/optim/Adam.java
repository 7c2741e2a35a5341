package org.ffspark.optim;

/**
 * Adam (Kingma and Ba, 2015) for one parameter vector, updated in place, with the exact arithmetic of
 * PyTorch's {@code torch.optim.Adam} (no weight decay, no amsgrad), so runs compare with the notebook:
 * {@code p -= (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)}.
 *
 * <p>The moments are float arrays like the parameters; the arithmetic of one update is in double.
 */
public final class Adam {
    private final AdamSettings settings;
    private final float[] firstMoment;
    private final float[] secondMoment;
    private long steps;

    public Adam(AdamSettings settings, int size) {
        this.settings = settings;
        this.firstMoment = new float[size];
        this.secondMoment = new float[size];
    }

    /**
     * Applies one step for {@code gradient} to {@code parameters}; returns whether every updated
     * parameter is finite (checked in the same pass, so the divergence guard costs no extra sweep).
     */
    public boolean step(float[] parameters, float[] gradient) {
        if (parameters.length != firstMoment.length || gradient.length != firstMoment.length) {
            throw new IllegalArgumentException("Adam for " + firstMoment.length + " parameters got "
                    + parameters.length + " parameters and " + gradient.length + " gradients");
        }
        steps++;
        double b1 = settings.beta1();
        double b2 = settings.beta2();
        double stepSize = settings.learningRate() / (1 - Math.pow(b1, steps));
        double correction2 = Math.sqrt(1 - Math.pow(b2, steps));
        double eps = settings.epsilon();
        boolean finite = true;
        for (int i = 0; i < parameters.length; i++) {
            double g = gradient[i];
            float m = (float) (b1 * firstMoment[i] + (1 - b1) * g);
            float v = (float) (b2 * secondMoment[i] + (1 - b2) * g * g);
            firstMoment[i] = m;
            secondMoment[i] = v;
            parameters[i] -= (float) (stepSize * m / (Math.sqrt(v) / correction2 + eps));
            finite &= Float.isFinite(parameters[i]);
        }
        return finite;
    }

    public long steps() {
        return steps;
    }

    /** The first-moment estimates (live; checkpoints copy them). */
    public float[] firstMoment() {
        return firstMoment;
    }

    /** The second-moment estimates (live; checkpoints copy them). */
    public float[] secondMoment() {
        return secondMoment;
    }

    /** Sets the state a checkpoint saved, so that training continues exactly where it stopped. */
    public void restore(float[] first, float[] second, long stepsTaken) {
        if (first.length != firstMoment.length || second.length != secondMoment.length) {
            throw new IllegalArgumentException("Adam state for " + first.length + " parameters, expected "
                    + firstMoment.length);
        }
        System.arraycopy(first, 0, firstMoment, 0, first.length);
        System.arraycopy(second, 0, secondMoment, 0, second.length);
        steps = stepsTaken;
    }
}
