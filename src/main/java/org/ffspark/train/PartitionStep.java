package org.ffspark.train;

import org.ffspark.data.DataBlock;
import org.ffspark.model.LayerGradients;
import org.ffspark.model.LocalLearning;
import org.ffspark.model.NegativeLabels;
import org.ffspark.model.SimpleFFNetwork;

/**
 * What one partition does in a training step, free of Spark: pick its own members of the step's
 * mini-batch, pair each with a wrong label, and compute their share of every layer's gradient.
 *
 * <p>The same code computes the single-process reference (one block holding everything), which is
 * what lets a test hold the distributed gradient equal to it.
 */
public final class PartitionStep {
    private static final ThreadLocal<LocalLearning> KERNEL = ThreadLocal.withInitial(LocalLearning::new);

    private PartitionStep() {
    }

    /**
     * The block's share of step {@code step} of epoch {@code epoch}, where the epoch visits samples in
     * {@code order} (global sample indices) in batches of {@code batchSize}.
     */
    public static LayerGradients share(SimpleFFNetwork net, DataBlock block, int[] order, int epoch,
                                       int step, int batchSize, long seed) {
        int start = EpochSchedule.batchStart(step, batchSize);
        int end = EpochSchedule.batchEnd(step, batchSize, order.length);
        int members = 0;
        for (int k = start; k < end; k++) {
            if (block.holds(order[k])) {
                members++;
            }
        }
        int features = block.features();
        float[] pixels = new float[members * features];
        int[] positive = new int[members];
        int[] negative = new int[members];
        int m = 0;
        for (int k = start; k < end; k++) {
            int sample = order[k];
            if (!block.holds(sample)) {
                continue;
            }
            int row = sample - block.firstIndex();
            block.copyScaled(row, pixels, m * features);
            positive[m] = block.label(row);
            negative[m] = NegativeLabels.uniformWrong(positive[m], net.classes(), seed, epoch, step, sample);
            m++;
        }
        LayerGradients share = new LayerGradients(net);
        KERNEL.get().accumulate(net, pixels, positive, negative, members, end - start, share);
        return share;
    }
}
