package org.ffspark.train;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.ffspark.eval.ConfusionMatrix;
import org.ffspark.linalg.ReusedArrays;
import org.ffspark.model.FFNetwork;
import org.ffspark.optim.Optimizer;
import org.ffspark.optim.OptimizerSettings;
import org.ffspark.optim.OuterOptimizer;
import org.ffspark.partition.EpochSchedule;

/**
 * The distributed training loop: epoch after epoch, the epoch's seeded order broadcast, its steps taken
 * by the rule {@code sync} names ({@link ExactSteps}, {@link ReplicaRounds}), then, in each epoch that
 * evaluates, training and test accuracy measured on the cluster in one job ({@link ClusterScoring}),
 * and the listeners told (console, metrics, checkpoints).
 *
 * <p>Every broadcast is destroyed in a {@code finally}: a run that fails or is cancelled inside a
 * long-lived application (a grid, a notebook) leaves nothing behind on the executors.
 */
public final class DistributedTrainer {
    private final TrainingJobs jobs;

    public DistributedTrainer(JavaSparkContext sc) {
        this(sc, "", () -> false);
    }

    /**
     * @param jobLabel  put before the Spark job descriptions, to tell concurrent runs apart in the UI
     * @param cancelled asked before every job; stops the run when it says so
     */
    public DistributedTrainer(JavaSparkContext sc, String jobLabel, BooleanSupplier cancelled) {
        this.jobs = new TrainingJobs(sc, jobLabel, cancelled);
    }

    /** The outcome of a run: the final network and every epoch's figures. */
    public record Result(FFNetwork network, List<EpochMetrics> epochs) {
    }

    /**
     * Trains from a fresh network, or from a saved state when {@code resumeFrom} is not null (its
     * network and optimizer state are taken over, and training continues with the next epoch).
     */
    public Result train(TrainingConfig config, FFNetwork initial, TrainingData data,
                        List<TrainingListener> listeners, TrainingSnapshot resumeFrom) {
        try {
            return epochs(config, initial, data, listeners, resumeFrom);
        } finally {
            ReusedArrays.release(); // another run still training only makes its next copy afresh
        }
    }

    private Result epochs(TrainingConfig config, FFNetwork initial, TrainingData data,
                          List<TrainingListener> listeners, TrainingSnapshot resumeFrom) {
        FFNetwork network = resumeFrom == null ? initial : resumeFrom.network().copy();
        OptimizerSettings[] settings = config.optimizersAt(network, 1);
        Optimizer[] optimizers = new Optimizer[network.blocks()];
        for (int b = 0; b < optimizers.length; b++) {
            optimizers[b] = Optimizer.create(settings[b], network.parameterCount(b));
            if (resumeFrom != null) {
                optimizers[b].restore(resumeFrom.firstMoments()[b], resumeFrom.secondMoments()[b],
                        resumeFrom.optimizerSteps()[b]);
            }
        }
        int[] blockSizes = new int[network.blocks()];
        for (int b = 0; b < blockSizes.length; b++) {
            blockSizes[b] = network.parameterCount(b);
        }
        OuterOptimizer outer = new OuterOptimizer(config.sync().outer(), blockSizes);
        if (resumeFrom != null) {
            outer.restore(resumeFrom.outerMomentum());
        }
        int steps = EpochSchedule.steps(data.trainCount(), config.batchSize());
        // In local steps every copy walks its own share: the largest partition's takes the most steps.
        int copySteps = config.sync().local() ? EpochSchedule.steps(data.largestTrainBlock(), config.batchSize())
                : steps;
        List<EpochMetrics> history = new ArrayList<>(resumeFrom == null ? List.of() : resumeFrom.history());
        TrainingState state = new TrainingState(network, optimizers, outer, history);
        ClusterScoring scoring = new ClusterScoring(jobs.sc());
        double bestTest = history.isEmpty() ? 0 : history.get(history.size() - 1).bestTestAccuracy();
        for (int epoch = history.size() + 1; epoch <= config.epochs(); epoch++) {
            long started = System.nanoTime();
            OptimizerSettings[] rates = config.optimizersAt(network, epoch);
            for (int b = 0; b < optimizers.length; b++) {
                optimizers[b].setLearningRate(rates[b].learningRate());
            }
            Broadcast<int[]> order = jobs.sc().broadcast(EpochSchedule.order(data.trainCount(), config.seed(), epoch));
            EpochSums sums;
            try {
                Epoch e = new Epoch(config, network, optimizers, outer, data, order, epoch, steps, copySteps,
                        listeners);
                sums = config.sync().exact() ? ExactSteps.epoch(jobs, e) : ReplicaRounds.epoch(jobs, e);
            } finally {
                order.destroy();
            }
            double trainSeconds = (System.nanoTime() - started) / 1e9;

            long evalStarted = System.nanoTime();
            EpochMetrics.Evaluation evaluation = EpochMetrics.Evaluation.skipped(bestTest);
            if (config.evaluates(epoch)) {
                jobs.describe("evaluate epoch " + epoch + "/" + config.epochs());
                ConfusionMatrix[] matrices = scoring.trainAndTest(network, data);
                bestTest = Math.max(bestTest, matrices[1].accuracy());
                evaluation = new EpochMetrics.Evaluation(matrices[0].accuracy(), matrices[1], bestTest);
            }
            double evalSeconds = (System.nanoTime() - evalStarted) / 1e9;

            EpochMetrics metrics = new EpochMetrics(epoch, config.epochs(), sums.figures(network), evaluation,
                    sums.timing.withSeconds(trainSeconds, evalSeconds));
            history.add(metrics);
            for (TrainingListener listener : listeners) {
                listener.epochFinished(metrics, state);
            }
        }
        return new Result(network, history);
    }
}
