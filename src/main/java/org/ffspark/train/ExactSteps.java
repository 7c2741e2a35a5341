package org.ffspark.train;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.ffspark.data.DataBlock;
import org.ffspark.model.FFNetwork;
import org.ffspark.model.LayerGradients;
import org.ffspark.model.PeerNormalisation;
import org.ffspark.model.SimpleFFNetwork;
import org.ffspark.partition.PartitionStep;
import org.ffspark.partition.StepSettings;

/**
 * The exact rule ({@code sync=every:1}): one Spark job per step. The driver broadcasts every block's
 * weights; each partition computes its share of the step's local FF gradients ({@link PartitionStep});
 * the shares are summed in partition order ({@link PartitionOrder}); the driver applies each block's
 * optimizer step.
 */
final class ExactSteps {
    private ExactSteps() {
    }

    static EpochSums epoch(TrainingJobs jobs, Epoch e) {
        FFNetwork network = e.network();
        EpochSums sums = new EpochSums(network);
        StepSettings settings = e.config().stepSettings();
        for (int step = 0; step < e.steps(); step++) {
            jobs.checkNotCancelled(e.number(), step);
            jobs.describe("train " + e.label() + " step " + (step + 1) + "/" + e.steps());
            LayerGradients gradients = gradients(jobs.sc(), network, e.data().train(), e.order(), e.number(), step,
                    settings);
            long driverStarted = System.nanoTime();
            for (int b = 0; b < network.blocks(); b++) {
                if (!Double.isFinite(gradients.loss(b))) {
                    throw new TrainingDivergedException("the loss", b, e.number(), step + 1);
                }
                if (!e.optimizers()[b].step(network.parameters(b), gradients.gradient(b))) {
                    throw new TrainingDivergedException("a weight", b, e.number(), step + 1);
                }
            }
            if (network instanceof SimpleFFNetwork simple) {
                PeerNormalisation.update(simple, gradients);
            }
            // The step's losses are batch means: weigh them back to sums over samples.
            sums.add(gradients, gradients.positives());
            sums.timing = sums.timing.plus(1, gradients.positives(), gradients.time(),
                    (System.nanoTime() - driverStarted) / 1e9);
            e.stepsDone(step + 1, sums.timing.samples());
        }
        return sums;
    }

    /**
     * One step's gradient, loss and goodness sums over all partitions: the sum of the partitions'
     * shares, added in partition order.
     */
    static LayerGradients gradients(JavaSparkContext sc, FFNetwork network, JavaRDD<DataBlock> blocks,
                                    Broadcast<int[]> order, int epoch, int step, StepSettings settings) {
        DriverValue<FFNetwork> weights = DriverValue.of(sc, network);
        try {
            return sumInOrder(PartitionOrder.results(blocks, (partition, block) -> PartitionStep.share(weights.value(),
                    block, order.value(), epoch, step, settings), ExactSteps::sumInOrder));
        } finally {
            weights.destroy();
        }
    }

    private static LayerGradients sumInOrder(List<LayerGradients> shares) {
        LayerGradients total = shares.get(0);
        for (int p = 1; p < shares.size(); p++) {
            total.add(shares.get(p));
        }
        return total;
    }
}
