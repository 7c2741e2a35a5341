package org.ffspark.optim;

import org.ffspark.linalg.ProductThreads;
import org.ffspark.linalg.RowAdditions;
import org.ffspark.linalg.StepProfile;

/**
 * The optimizer of one parameter block (a layer, or the readout), updating it in place with the
 * arithmetic of PyTorch's float32 optimizers, so runs compare with PyTorch code. Its state is up to two
 * float arrays the size of the block ({@link #firstMoment}, {@link #secondMoment}: empty when unused)
 * and a step count: what checkpoints save and sync rounds average.
 */
public abstract class Optimizer {
    protected final OptimizerSettings settings;
    protected double learningRate;
    protected long steps;

    protected Optimizer(OptimizerSettings settings) {
        this.settings = settings;
        this.learningRate = settings.learningRate();
    }

    /** A fresh optimizer of the settings' kind for a block of {@code size} parameters. */
    public static Optimizer create(OptimizerSettings settings, int size) {
        return settings.kind() == OptimizerSettings.Kind.SGD ? new Sgd(settings, size) : new Adam(settings, size);
    }

    /**
     * Applies one step for {@code gradient} to {@code parameters}; returns whether every updated
     * parameter is finite.
     */
    public boolean step(float[] parameters, float[] gradient) {
        split(parameters, gradient, false);
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
        split(parameters, gradient, true);
    }

    /**
     * As {@link #stepAndClear(float[], float[])} for the gradient plus {@code additions} to its first
     * {@code rows x columns} elements, each row's added just before the row is updated (while it is in
     * the core's cache) rather than in sweeps of their own over the gradient. The result is bit for bit
     * that of adding them first.
     */
    public void stepAndClear(float[] parameters, float[] gradient, int rows, int columns, RowAdditions additions) {
        checkSizes(parameters, gradient, firstMoment().length);
        steps++;
        long t = StepProfile.start();
        int weights = rows * columns;
        ProductThreads.split(rows, weights, (j0, j1) -> {
            for (int j = j0; j < j1; j++) {
                int base = j * columns;
                additions.addTo(j, gradient, base);
                update(parameters, gradient, true, base, base + columns);
            }
        });
        update(parameters, gradient, true, weights, parameters.length);
        StepProfile.add("optimizer step", t, 0);
    }

    /**
     * One step, the elements split between the threads this task may use ({@link ProductThreads}): each
     * element's update depends on that element alone, so the split changes no result.
     */
    private void split(float[] parameters, float[] gradient, boolean clear) {
        checkSizes(parameters, gradient, firstMoment().length);
        steps++;
        long t = StepProfile.start();
        ProductThreads.split(parameters.length, parameters.length, (from, to) -> update(parameters, gradient, clear,
                from, to));
        StepProfile.add("optimizer step", t, 0);
    }

    /** Updates elements {@code [from, to)} for the step just counted in {@link #steps}. */
    protected abstract void update(float[] parameters, float[] gradient, boolean clear, int from, int to);

    /** Whether every value is finite (neither NaN nor infinite). */
    public static boolean allFinite(float[] values) {
        float largest = 0;
        for (float v : values) {
            largest = Math.max(largest, Math.abs(v));
        }
        // NaN makes Math.max NaN, and NaN <= x is false, so one comparison catches NaN and infinity.
        return largest <= Float.MAX_VALUE;
    }

    /**
     * Sets the rate of the following steps (a {@link LearningRateSchedule} at an epoch's start); the
     * state is kept, as PyTorch's schedulers keep it when they change a group's {@code lr}.
     */
    public void setLearningRate(double rate) {
        learningRate = rate;
    }

    public double learningRate() {
        return learningRate;
    }

    public OptimizerSettings settings() {
        return settings;
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

    /** The first state array (Adam's first moment, SGD's velocity; live: checkpoints copy it). */
    public abstract float[] firstMoment();

    /** The second state array (Adam's second moment; empty for SGD; live). */
    public abstract float[] secondMoment();

    /** Sets the state a checkpoint saved, so that training continues exactly where it stopped. */
    public void restore(float[] first, float[] second, long stepsTaken) {
        float[] a = firstMoment();
        float[] b = secondMoment();
        if (first.length != a.length || second.length != b.length) {
            throw new IllegalArgumentException("optimizer state of " + first.length + " and " + second.length
                    + " values, expected " + a.length + " and " + b.length);
        }
        System.arraycopy(first, 0, a, 0, first.length);
        System.arraycopy(second, 0, b, 0, second.length);
        steps = stepsTaken;
    }

    private void checkSizes(float[] parameters, float[] gradient, int size) {
        if (parameters.length != size || gradient.length != size) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " for " + size + " parameters got "
                    + parameters.length + " parameters and " + gradient.length + " gradients");
        }
    }
}
