package org.ffspark.model;

import org.ffspark.random.Seeds;

/**
 * The notebook's negatives: the same image with a wrong label drawn uniformly,
 * {@code (y + U{1..classes-1}) mod classes}.
 *
 * <p>The draw is a function of the run seed, the epoch, the step and the sample's global index, so a
 * sample gets the same negative whichever partition or task computes it.
 */
public final class NegativeLabels {
    private static final long STREAM = 0x4E45474154L;

    private NegativeLabels() {
    }

    public static int uniformWrong(int label, int classes, long seed, int epoch, int step, int sample) {
        long draw = Seeds.derive(seed, STREAM, epoch, step, sample);
        return (label + 1 + Seeds.uniform(draw, classes - 1)) % classes;
    }
}
