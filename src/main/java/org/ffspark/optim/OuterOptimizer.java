package org.ffspark.optim;

import org.ffspark.linalg.ProductThreads;

/**
 * The driver's merge of the copies after a round of local steps, one parameter block at a time. With
 * {@link OuterSettings.Kind#NESTEROV}: {@code d = start - average} (the copies' averaged change, reversed
 * as a gradient is), {@code v = momentum * v + d}, {@code start -= lr * (d + momentum * v)}: PyTorch's SGD
 * with {@code nesterov=True} on the pseudo-gradient, in float32. One momentum buffer per block, the
 * outer state a checkpoint carries.
 */
public final class OuterOptimizer {
    private final OuterSettings settings;
    private final float[][] momentum;

    /** A fresh outer optimizer for blocks of the given sizes; its momentum starts at zero. */
    public OuterOptimizer(OuterSettings settings, int[] blockSizes) {
        this.settings = settings;
        this.momentum = new float[settings.hasState() ? blockSizes.length : 0][];
        for (int b = 0; b < momentum.length; b++) {
            momentum[b] = new float[blockSizes[b]];
        }
    }

    public OuterSettings settings() {
        return settings;
    }

    /**
     * Merges a block: {@code parameters} holds the round's start and becomes the merged block;
     * {@code average} is the copies' average of it.
     */
    public void merge(int block, float[] parameters, float[] average) {
        if (settings.kind() == OuterSettings.Kind.AVERAGE) {
            System.arraycopy(average, 0, parameters, 0, parameters.length);
            return;
        }
        float rate = (float) settings.learningRate();
        float mu = (float) settings.momentum();
        float[] v = momentum[block];
        // Each element depends on itself alone: the split between a task's threads changes no result.
        ProductThreads.split(parameters.length, parameters.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                float d = parameters[i] - average[i];
                float m = mu * v[i] + d;
                v[i] = m;
                parameters[i] = parameters[i] - rate * (d + mu * m);
            }
        });
    }

    /** The momentum buffers, one per block (none for plain averaging); live: checkpoints copy them. */
    public float[][] state() {
        return momentum;
    }

    /** Continues from saved momentum buffers. */
    public void restore(float[][] saved) {
        if (saved.length != momentum.length) {
            throw new IllegalArgumentException("outer state of " + saved.length + " blocks, expected "
                    + momentum.length);
        }
        for (int b = 0; b < momentum.length; b++) {
            if (saved[b].length != momentum[b].length) {
                throw new IllegalArgumentException("outer state of block " + b + " holds " + saved[b].length
                        + " values, expected " + momentum[b].length);
            }
            System.arraycopy(saved[b], 0, momentum[b], 0, momentum[b].length);
        }
    }
}
