package org.ffspark.partition;

import org.ffspark.random.Seeds;

/**
 * The order in which an epoch visits the training samples and how it cuts them into mini-batches:
 * a fresh seeded permutation each epoch, batches of {@code batchSize} in that order, the last one
 * short (the notebook's loop).
 */
public final class EpochSchedule {
    private static final long SHUFFLE_STREAM = 0x5348554646L;

    private EpochSchedule() {
    }

    public static int[] order(int samples, long seed, int epoch) {
        return Seeds.permutation(samples, seed, SHUFFLE_STREAM, epoch);
    }

    public static int steps(int samples, int batchSize) {
        return (samples + batchSize - 1) / batchSize;
    }

    public static int batchStart(int step, int batchSize) {
        return step * batchSize;
    }

    public static int batchEnd(int step, int batchSize, int samples) {
        return Math.min(samples, (step + 1) * batchSize);
    }
}
