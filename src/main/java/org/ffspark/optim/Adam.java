package org.ffspark.optim;

/**
 * Adam (Kingma and Ba, 2015) for one parameter vector, updated in place, with the exact arithmetic of
 * PyTorch's {@code torch.optim.Adam} (no weight decay, no amsgrad), so runs compare with the notebook:
 * {@code p -= (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)}.
 *
 * <p>The moments are float arrays like the parameters, and the arithmetic is float32 like PyTorch's.
 */
public final class Adam {
    private final AdamSettings settings;
    private double learningRate;
    private final float[] firstMoment;
    private final float[] secondMoment;
    private long steps;

    public Adam(AdamSettings settings, int size) {
        this.settings = settings;
        this.learningRate = settings.learningRate();
        this.firstMoment = new float[size];
        this.secondMoment = new float[size];
    }

    /**
     * Applies one step for {@code gradient} to {@code parameters}; returns whether every updated
     * parameter is finite.
     */
    public boolean step(float[] parameters, float[] gradient) {
        update(parameters, gradient, false);
        return allFinite(parameters);
    }

    /**
     * As {@link #step}, without the finiteness check, and leaves {@code gradient} all zeros for the
     * next step's sums (zeroing it in this pass saves a sweep over memory). For a replica's many
     * steps between averaging rounds, whose caller checks the loss every step and the weights at
     * the round's end: a check inside this loop (a running maximum) keeps the JIT from vectorising
     * it and nearly doubles its cost.
     */
    public void stepAndClear(float[] parameters, float[] gradient) {
        update(parameters, gradient, true);
    }

    /** Whether every value is finite (neither NaN nor infinite). */
    public static boolean allFinite(float[] values) {
        float largest = 0;
        for (float v : values) {
            largest = Math.max(largest, Math.abs(v));
        }
        // NaN makes Math.max NaN, and NaN <= x is false, so one comparison catches NaN and infinity.
        return largest <= Float.MAX_VALUE;
    }

    private void update(float[] parameters, float[] gradient, boolean clear) {
        if (parameters.length != firstMoment.length || gradient.length != firstMoment.length) {
            throw new IllegalArgumentException("Adam for " + firstMoment.length + " parameters got "
                    + parameters.length + " parameters and " + gradient.length + " gradients");
        }
        steps++;
        float stepSize = (float) (learningRate / (1 - Math.pow(settings.beta1(), steps)));
        float correction2 = (float) Math.sqrt(1 - Math.pow(settings.beta2(), steps));
        // 1 - beta in double first: in float, 1 - 0.999f loses four digits to cancellation.
        float keep1 = (float) (1 - settings.beta1());
        float beta2 = (float) settings.beta2();
        float keep2 = (float) (1 - settings.beta2());
        float eps = (float) settings.epsilon();
        // One pass in float32, as PyTorch computes it on float32 tensors, with nothing carried from
        // one element to the next, so the JIT vectorises it (a double version costs five times as
        // much, and this runs every step).
        for (int i = 0; i < parameters.length; i++) {
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
    }

    /**
     * Sets the rate of the following steps (a {@link LearningRateSchedule} at an epoch's start); the
     * moments are kept, as PyTorch's schedulers keep them when they change a group's {@code lr}.
     */
    public void setLearningRate(double rate) {
        learningRate = rate;
    }

    public double learningRate() {
        return learningRate;
    }

    /**
     * Counts a step in which this replica had no samples: its parameters stay, but the bias
     * correction of its next step matches the replicas that did step.
     */
    public void skipStep() {
        steps++;
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
