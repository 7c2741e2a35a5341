package org.ffspark.model;

import org.ffspark.random.Seeds;

/**
 * Negatives: the same image with a wrong label. The notebook's rule draws it uniformly,
 * {@code (y + U{1..classes-1}) mod classes}; the paper's "hard" rule draws it in proportion to the
 * network's own belief in it, a softmax over the labels' goodness, so the network is shown the
 * mistakes it is closest to making.
 *
 * <p>The draw is a function of the run seed, the epoch, the step and the sample's global index, so a
 * sample gets the same negative whichever partition or task computes it.
 */
public final class NegativeLabels {
    private static final long STREAM = 0x4E45474154L;
    private static final long HARD_STREAM = 0x48415244L;

    private NegativeLabels() {
    }

    public static int uniformWrong(int label, int classes, long seed, int epoch, int step, int sample) {
        long draw = Seeds.derive(seed, STREAM, epoch, step, sample);
        return (label + 1 + Seeds.uniform(draw, classes - 1)) % classes;
    }

    /**
     * A wrong label drawn with probability {@code exp(g_c) / sum_{k != label} exp(g_k)}.
     *
     * @param goodness the sample's score under every label, from {@code goodness[offset]}
     */
    public static int hardWrong(int label, float[] goodness, int offset, int classes, long seed, int epoch, int step,
                                int sample) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            if (c != label) {
                max = Math.max(max, goodness[offset + c]);
            }
        }
        double total = 0;
        for (int c = 0; c < classes; c++) {
            if (c != label) {
                total += Math.exp(goodness[offset + c] - max);
            }
        }
        double u = (Seeds.derive(seed, HARD_STREAM, epoch, step, sample) >>> 11) * 0x1.0p-53 * total;
        int last = -1;
        for (int c = 0; c < classes; c++) {
            if (c == label) {
                continue;
            }
            last = c;
            u -= Math.exp(goodness[offset + c] - max);
            if (u < 0) {
                return c;
            }
        }
        return last; // rounding left u at or just above zero
    }
}
