package org.ffspark.partition;

import java.util.Arrays;
import org.ffspark.data.DataBlock;
import org.ffspark.linalg.Gemm;
import org.ffspark.linalg.StepProfile;
import org.ffspark.model.FFKernels;
import org.ffspark.model.FFNetwork;
import org.ffspark.model.LayerGradients;
import org.ffspark.model.StepSamples;

/**
 * What one partition does in a training step, free of Spark: pick its own members of the step's
 * mini-batch, pair each with a wrong label, and compute their share of every block's gradient.
 *
 * <p>The same code computes the single-process reference (one block holding everything), which is
 * what lets a test hold the distributed gradient equal to it.
 */
public final class PartitionStep {
    private static final ThreadLocal<StepSamples> MEMBERS = ThreadLocal.withInitial(StepSamples::new);

    private PartitionStep() {
    }

    /**
     * The block's share of step {@code step} of {@code epoch}, where the epoch visits samples in
     * {@code order} (global sample indices) in batches; the losses are means over the whole batch, so
     * the shares of all blocks add up to the step's gradient.
     */
    public static LayerGradients share(FFNetwork net, DataBlock block, int[] order, int epoch, int step,
                                       StepSettings settings) {
        long started = System.nanoTime();
        Gemm.Meter products = Gemm.meter().copy();
        StepSamples members = gather(block, order, epoch, step, settings);
        LayerGradients share = new LayerGradients(net, settings.learning().tracksActivity());
        int batchLength = EpochSchedule.batchEnd(step, settings.batchSize(), order.length)
                - EpochSchedule.batchStart(step, settings.batchSize());
        FFKernels.learn(net, members, settings.learning(), batchLength, share);
        share.time().addSequential(System.nanoTime() - started, Gemm.meter().since(products));
        return share;
    }

    /**
     * Adds to {@code out} the gradient of the block's members of a step, as a mean over those members
     * only: the gradient a replica training on its own data follows. Returns the member count. With
     * {@code order} the block's {@link #ownShare}, step s is the partition's own batch s.
     */
    static int localGradient(FFNetwork net, DataBlock block, int[] order, int epoch, int step, StepSettings settings,
                             LayerGradients out) {
        StepSamples members = gather(block, order, epoch, step, settings);
        FFKernels.learn(net, members, settings.learning(), members.count(), out);
        return members.count();
    }

    /**
     * The block's share of the epoch's order: the global indices of its samples in the order the epoch
     * visits them. Local steps cut it into the partition's own batches.
     */
    public static int[] ownShare(DataBlock block, int[] order) {
        int[] own = new int[block.count()];
        int n = 0;
        for (int sample : order) {
            if (block.holds(sample)) {
                own[n++] = sample;
            }
        }
        return n == own.length ? own : Arrays.copyOf(own, n);
    }

    /** The block's members of a step, scaled, with their true labels (reused buffers). */
    private static StepSamples gather(DataBlock block, int[] order, int epoch, int step, StepSettings settings) {
        long t = StepProfile.start();
        StepSamples members = gatherScaled(block, order, epoch, step, settings);
        StepProfile.add("gather and scale the step's images", t, 0);
        return members;
    }

    private static StepSamples gatherScaled(DataBlock block, int[] order, int epoch, int step,
                                            StepSettings settings) {
        int start = EpochSchedule.batchStart(step, settings.batchSize());
        int end = EpochSchedule.batchEnd(step, settings.batchSize(), order.length);
        int count = 0;
        for (int k = start; k < end; k++) {
            if (block.holds(order[k])) {
                count++;
            }
        }
        StepSamples m = MEMBERS.get();
        int features = block.features();
        m.reset(count, features, settings.seed(), epoch, step);
        int i = 0;
        for (int k = start; k < end; k++) {
            int sample = order[k];
            if (!block.holds(sample)) {
                continue;
            }
            int row = sample - block.firstIndex();
            block.copyScaled(row, m.pixels(), i * features);
            m.set(i, block.label(row), sample);
            i++;
        }
        return m;
    }
}
