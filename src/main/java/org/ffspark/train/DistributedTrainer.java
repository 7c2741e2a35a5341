package org.ffspark.train;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.ffspark.FfsparkException;
import org.ffspark.data.DataBlock;
import org.ffspark.eval.BlockEvaluation;
import org.ffspark.eval.ConfusionMatrix;
import org.ffspark.model.LayerGradients;
import org.ffspark.model.SimpleFFNetwork;
import org.ffspark.optim.Adam;

/**
 * The distributed training loop. Each step the driver broadcasts every layer's weights; each partition
 * computes its share of the step's local FF gradients ({@link PartitionStep}); the shares are summed
 * per layer in partition order, so the sum does not depend on which task finishes first; the driver
 * applies each layer's Adam step. After each epoch, training and test accuracy are measured on the
 * cluster.
 */
public final class DistributedTrainer {
    private final JavaSparkContext sc;
    private final String jobLabel;
    private final BooleanSupplier cancelled;

    public DistributedTrainer(JavaSparkContext sc) {
        this(sc, "", () -> false);
    }

    /**
     * @param jobLabel  put before the Spark job descriptions, to tell concurrent runs apart in the UI
     * @param cancelled asked before every step: a run is many short jobs, so cancelling the job that
     *                  happens to be running is not enough to stop it
     */
    public DistributedTrainer(JavaSparkContext sc, String jobLabel, BooleanSupplier cancelled) {
        this.sc = sc;
        this.jobLabel = jobLabel;
        this.cancelled = cancelled;
    }

    /** The outcome of a run: the final network and every epoch's figures. */
    public record Result(SimpleFFNetwork network, List<EpochMetrics> epochs) {
    }

    /**
     * Trains from a fresh network, or from a checkpoint when {@code resumeFrom} is not null (its
     * network and optimizer state are taken over, and training continues with the next epoch).
     */
    public Result train(TrainingConfig config, SimpleFFNetwork initial, TrainingData data,
                        List<TrainingListener> listeners, Checkpoint resumeFrom) {
        SimpleFFNetwork network = resumeFrom == null ? initial : resumeFrom.network().copy();
        int layers = network.layers();
        Adam[] optimizers = new Adam[layers];
        for (int l = 0; l < layers; l++) {
            optimizers[l] = new Adam(config.adam(), network.parameterCount(l));
            if (resumeFrom != null) {
                optimizers[l].restore(resumeFrom.firstMoments()[l], resumeFrom.secondMoments()[l],
                        resumeFrom.adamSteps()[l]);
            }
        }
        int steps = EpochSchedule.steps(data.trainCount(), config.batchSize());
        List<EpochMetrics> history = new ArrayList<>(resumeFrom == null ? List.of() : resumeFrom.history());
        TrainingState state = new TrainingState(network, optimizers, history);
        double bestTest = history.isEmpty() ? 0 : history.get(history.size() - 1).bestTestAccuracy();
        for (int epoch = history.size() + 1; epoch <= config.epochs(); epoch++) {
            long started = System.nanoTime();
            Broadcast<int[]> order = sc.broadcast(EpochSchedule.order(data.trainCount(), config.seed(), epoch));
            double[] loss = new double[layers];
            double[] positive = new double[layers];
            double[] negative = new double[layers];
            long samples = 0;
            for (int step = 0; step < steps; step++) {
                if (cancelled.getAsBoolean()) {
                    throw new FfsparkException(jobLabel + "cancelled at epoch " + epoch + " step " + (step + 1));
                }
                sc.setJobDescription(jobLabel + "train epoch " + epoch + "/" + config.epochs() + " step "
                        + (step + 1) + "/" + steps);
                LayerGradients gradients = stepGradients(network, data.train(), order, epoch, step,
                        config.batchSize(), config.seed());
                for (int l = 0; l < layers; l++) {
                    if (!Double.isFinite(gradients.loss(l))) {
                        throw new TrainingDivergedException("the loss", l, epoch, step + 1);
                    }
                    if (!optimizers[l].step(network.parameters(l), gradients.gradient(l))) {
                        throw new TrainingDivergedException("a weight", l, epoch, step + 1);
                    }
                    loss[l] += gradients.loss(l);
                    positive[l] += gradients.positiveGoodnessSum(l);
                    negative[l] += gradients.negativeGoodnessSum(l);
                }
                samples += gradients.positives();
            }
            order.destroy();
            double trainSeconds = (System.nanoTime() - started) / 1e9;

            long evalStarted = System.nanoTime();
            sc.setJobDescription(jobLabel + "evaluate epoch " + epoch + "/" + config.epochs());
            Broadcast<SimpleFFNetwork> weights = sc.broadcast(network);
            ConfusionMatrix trainMatrix = evaluate(weights, data.trainAccuracy());
            ConfusionMatrix testMatrix = evaluate(weights, data.test());
            weights.destroy();
            double evalSeconds = (System.nanoTime() - evalStarted) / 1e9;

            for (int l = 0; l < layers; l++) {
                loss[l] /= steps;
                positive[l] /= samples;
                negative[l] /= samples;
            }
            bestTest = Math.max(bestTest, testMatrix.accuracy());
            EpochMetrics metrics = new EpochMetrics(epoch, config.epochs(), loss, positive, negative,
                    trainMatrix.accuracy(), testMatrix, bestTest, trainSeconds, evalSeconds);
            history.add(metrics);
            for (TrainingListener listener : listeners) {
                listener.epochFinished(metrics, state);
            }
        }
        return new Result(network, history);
    }

    /**
     * One step's gradient, loss and goodness sums over all partitions: the sum of the partitions'
     * shares, added in partition order.
     */
    public LayerGradients stepGradients(SimpleFFNetwork network, JavaRDD<DataBlock> blocks,
                                        Broadcast<int[]> order, int epoch, int step, int batchSize,
                                        long seed) {
        Broadcast<SimpleFFNetwork> weights = sc.broadcast(network);
        List<LayerGradients> shares = blocks
                .map(block -> PartitionStep.share(weights.value(), block, order.value(), epoch, step,
                        batchSize, seed))
                .collect();
        weights.destroy();
        LayerGradients total = shares.get(0);
        for (int p = 1; p < shares.size(); p++) {
            total.add(shares.get(p));
        }
        return total;
    }

    /** Accuracy counts of a network on blocks, computed where the blocks are. */
    public ConfusionMatrix evaluate(SimpleFFNetwork network, JavaRDD<DataBlock> blocks) {
        Broadcast<SimpleFFNetwork> weights = sc.broadcast(network);
        try {
            return evaluate(weights, blocks);
        } finally {
            weights.destroy();
        }
    }

    private static ConfusionMatrix evaluate(Broadcast<SimpleFFNetwork> weights, JavaRDD<DataBlock> blocks) {
        return blocks.map(block -> BlockEvaluation.evaluate(weights.value(), block))
                .reduce(ConfusionMatrix::add);
    }
}
