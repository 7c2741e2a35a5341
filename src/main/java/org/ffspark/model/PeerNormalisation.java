package org.ffspark.model;

/**
 * Peer normalisation, from Hinton's released FF code and the reimplementation that matches the
 * paper: each unit keeps a running mean of its activity over positive samples, and a penalty
 * {@code strength * mean_j (mean_k m_k - m_j)^2} pulls every unit's mean towards its layer's mean, so
 * no unit stays dead and none is always on. Its gradient passes ReLU whatever the sign of the unit's
 * input (a dead unit is exactly the one that needs it), which makes it, for every positive sample, a
 * constant per unit: a rank-one addition to the layer's weight gradient.
 *
 * <p>The running means after a step depend on the whole batch, spread over partitions; the gradient
 * uses the means as they were before the step, so that each partition's share is its own. The means
 * are then updated from the step's activity sums ({@link #update}).
 */
public final class PeerNormalisation {
    /** Share of a running mean kept at each step. */
    public static final float MOMENTUM = 0.9f;

    private PeerNormalisation() {
    }

    /**
     * {@code out[j]}: the penalty's derivative with respect to unit {@code j}'s activity in one positive
     * sample of a batch of {@code batchSize}.
     */
    static void unitGradients(float[] means, int width, float strength, int batchSize, float[] out) {
        double sum = 0;
        for (int j = 0; j < width; j++) {
            sum += means[j];
        }
        float mean = (float) (sum / width);
        float scale = strength * 2f * (1f - MOMENTUM) / ((float) width * batchSize);
        for (int j = 0; j < width; j++) {
            out[j] = scale * (means[j] - mean);
        }
    }

    /** The penalty (before its strength) of a layer's running means, for the record. */
    public static double penalty(float[] means) {
        double mean = 0;
        for (float m : means) {
            mean += m;
        }
        mean /= means.length;
        double sum = 0;
        for (float m : means) {
            sum += (mean - m) * (mean - m);
        }
        return sum / means.length;
    }

    /**
     * Moves every unit's running mean towards the mean activity of the step's positive samples, whose
     * sums {@code gradients} carries.
     */
    public static void update(SimpleFFNetwork net, LayerGradients gradients) {
        int positives = gradients.positives();
        if (positives == 0 || !gradients.tracksActivity()) {
            return;
        }
        for (int l = 0; l < net.layers(); l++) {
            float[] means = net.unitMeans(l);
            float[] sums = gradients.activitySums(l);
            for (int j = 0; j < means.length; j++) {
                means[j] = MOMENTUM * means[j] + (1f - MOMENTUM) * (sums[j] / positives);
            }
        }
    }
}
