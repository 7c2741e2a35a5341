package org.ffspark.model;

/**
 * One partition's members of a training step, gathered for the kernels: their pixels (scaled to
 * [0, 1]), true labels and global sample indices, and the step's coordinates, from which every wrong
 * label is drawn ({@link NegativeLabels}): a sample gets the same wrong label whichever partition or
 * task computes it. The buffers grow as needed and are reused from step to step: one per thread.
 */
public final class StepSamples {
    private float[] pixels = new float[0];
    private int[] positive = new int[0];
    private int[] negative = new int[0];
    private int[] sample = new int[0];
    private float[] scores = new float[0];
    private int count;
    private long seed;
    private int epoch;
    private int step;

    /** Starts a step's gathering: {@code count} members of {@code features} pixels each. */
    public void reset(int count, int features, long seed, int epoch, int step) {
        if (pixels.length < count * features) {
            pixels = new float[count * features];
        }
        if (positive.length < count) {
            positive = new int[count];
            negative = new int[count];
            sample = new int[count];
        }
        this.count = count;
        this.seed = seed;
        this.epoch = epoch;
        this.step = step;
    }

    /** Member {@code i}'s pixels go to {@code pixels()} from {@code i * features}. */
    public float[] pixels() {
        return pixels;
    }

    /** Sets member {@code i}'s true label and global index. */
    public void set(int i, int label, int globalIndex) {
        positive[i] = label;
        sample[i] = globalIndex;
    }

    public int count() {
        return count;
    }

    public int[] positive() {
        return positive;
    }

    public int[] negative() {
        return negative;
    }

    /** A buffer for every member's score of every label. */
    float[] scores(int classes) {
        if (scores.length < count * classes) {
            scores = new float[count * classes];
        }
        return scores;
    }

    /** Every member's wrong label drawn uniformly. */
    void drawUniform(int classes) {
        for (int i = 0; i < count; i++) {
            negative[i] = NegativeLabels.uniformWrong(positive[i], classes, seed, epoch, step, sample[i]);
        }
    }

    /** Every member's wrong label drawn in proportion to {@code exp} of its {@link #scores}. */
    void drawHard(int classes) {
        for (int i = 0; i < count; i++) {
            negative[i] = NegativeLabels.hardWrong(positive[i], scores, i * classes, classes, seed, epoch, step,
                    sample[i]);
        }
    }
}
