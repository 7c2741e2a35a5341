package org.ffspark.train;

import org.ffspark.data.DataBlock;
import org.ffspark.model.Gemm;
import org.ffspark.model.LayerGradients;
import org.ffspark.model.FFKernels;
import org.ffspark.model.NegativeLabels;
import org.ffspark.model.FFNetwork;

/**
 * What one partition does in a training step, free of Spark: pick its own members of the step's
 * mini-batch, pair each with a wrong label, and compute their share of every layer's gradient.
 *
 * <p>The same code computes the single-process reference (one block holding everything), which is
 * what lets a test hold the distributed gradient equal to it.
 */
public final class PartitionStep {
    private static final ThreadLocal<Members> MEMBERS = ThreadLocal.withInitial(Members::new);

    private PartitionStep() {
    }

    /**
     * The block's share of step {@code step} of epoch {@code epoch}, where the epoch visits samples in
     * {@code order} (global sample indices) in batches of {@code batchSize}; the losses are means over
     * the whole batch, so the shares of all blocks add up to the step's gradient.
     */
    public static LayerGradients share(FFNetwork net, DataBlock block, int[] order, int epoch,
                                       int step, int batchSize, long seed) {
        return share(net, block, order, epoch, step, batchSize, seed, 0);
    }

    /**
     * As above; with {@code negativeScoreLayers > 0} the wrong labels follow the network's own scores,
     * its goodness summed over that many layers from the first.
     */
    public static LayerGradients share(FFNetwork net, DataBlock block, int[] order, int epoch,
                                       int step, int batchSize, long seed, int negativeScoreLayers) {
        long started = System.nanoTime();
        Gemm.Meter products = Gemm.meter().copy();
        Members m = gather(net, block, order, epoch, step, batchSize, seed, negativeScoreLayers);
        LayerGradients share = new LayerGradients(net);
        FFKernels.accumulate(net, m.pixels, m.positive, m.negative, m.count, m.batchLength, share);
        share.time().addSequential(System.nanoTime() - started, Gemm.meter().since(products));
        return share;
    }

    /**
     * Adds to {@code out} the gradient of the block's members of a step, as a mean over those members
     * only: the gradient a replica training on its own data follows. Returns the member count.
     */
    static int localGradient(FFNetwork net, DataBlock block, int[] order, int epoch, int step,
                             int batchSize, long seed, int negativeScoreLayers, LayerGradients out) {
        Members m = gather(net, block, order, epoch, step, batchSize, seed, negativeScoreLayers);
        FFKernels.accumulate(net, m.pixels, m.positive, m.negative, m.count, m.count, out);
        return m.count;
    }

    /** The block's members of a step, scaled, with their true and drawn wrong labels (reused buffers). */
    private static Members gather(FFNetwork net, DataBlock block, int[] order, int epoch, int step,
                                  int batchSize, long seed, int negativeScoreLayers) {
        int start = EpochSchedule.batchStart(step, batchSize);
        int end = EpochSchedule.batchEnd(step, batchSize, order.length);
        int count = 0;
        for (int k = start; k < end; k++) {
            if (block.holds(order[k])) {
                count++;
            }
        }
        Members m = MEMBERS.get();
        m.reserve(count, block.features());
        int features = block.features();
        int i = 0;
        for (int k = start; k < end; k++) {
            int sample = order[k];
            if (!block.holds(sample)) {
                continue;
            }
            int row = sample - block.firstIndex();
            block.copyScaled(row, m.pixels, i * features);
            m.positive[i] = block.label(row);
            m.negative[i] = NegativeLabels.uniformWrong(m.positive[i], net.classes(), seed, epoch, step, sample);
            m.sample[i] = sample;
            i++;
        }
        if (negativeScoreLayers > 0 && count > 0) {
            int classes = net.classes();
            m.reserveScores(count * classes);
            FFKernels.scoreForNegatives(net, m.pixels, count, negativeScoreLayers, m.scores);
            for (int j = 0; j < count; j++) {
                m.negative[j] = NegativeLabels.hardWrong(m.positive[j], m.scores, j * classes, classes, seed, epoch,
                        step, m.sample[j]);
            }
        }
        m.count = count;
        m.batchLength = end - start;
        return m;
    }

    /** Work buffers for a step's members, one set per thread. */
    private static final class Members {
        float[] pixels = new float[0];
        int[] positive = new int[0];
        int[] negative = new int[0];
        int[] sample = new int[0];
        float[] scores = new float[0];
        int count;
        int batchLength;

        void reserve(int n, int features) {
            if (pixels.length < n * features) {
                pixels = new float[n * features];
            }
            if (positive.length < n) {
                positive = new int[n];
                negative = new int[n];
                sample = new int[n];
            }
        }

        void reserveScores(int size) {
            if (scores.length < size) {
                scores = new float[size];
            }
        }
    }
}
