package org.ffspark.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.spark.HashPartitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.ffspark.FfsparkException;
import org.ffspark.data.DataBlock;
import org.ffspark.eval.BlockEvaluation;
import org.ffspark.eval.ConfusionMatrix;
import org.ffspark.model.FFNetwork;
import org.ffspark.model.LayerGradients;
import org.ffspark.model.PeerNormalisation;
import org.ffspark.model.ProductThreads;
import org.ffspark.model.SimpleFFNetwork;
import org.ffspark.optim.Optimizer;
import org.ffspark.optim.OptimizerSettings;
import scala.Tuple2;

/**
 * The distributed training loop. Each step the driver broadcasts every block's weights; each partition
 * computes its share of the step's local FF gradients ({@link PartitionStep}); the shares are summed
 * per block in partition order, so the sum does not depend on which task finishes first; the driver
 * applies each block's optimizer step. With {@code sync=every:K} a job covers K steps instead: every
 * partition advances its own copy of the network and optimizers ({@link PartitionRound}) and the
 * driver averages the copies. After each epoch that evaluates, training and test accuracy are measured
 * on the cluster, in one job.
 *
 * <p>Every broadcast is destroyed in a {@code finally}: a run that fails or is cancelled inside a
 * long-lived application (a grid, a notebook) leaves nothing behind on the executors.
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
    public record Result(FFNetwork network, List<EpochMetrics> epochs) {
    }

    /**
     * Trains from a fresh network, or from a checkpoint when {@code resumeFrom} is not null (its
     * network and optimizer state are taken over, and training continues with the next epoch).
     */
    public Result train(TrainingConfig config, FFNetwork initial, TrainingData data,
                        List<TrainingListener> listeners, Checkpoint resumeFrom) {
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
        int steps = EpochSchedule.steps(data.trainCount(), config.batchSize());
        List<EpochMetrics> history = new ArrayList<>(resumeFrom == null ? List.of() : resumeFrom.history());
        TrainingState state = new TrainingState(network, optimizers, history);
        double bestTest = history.isEmpty() ? 0 : history.get(history.size() - 1).bestTestAccuracy();
        for (int epoch = history.size() + 1; epoch <= config.epochs(); epoch++) {
            long started = System.nanoTime();
            OptimizerSettings[] rates = config.optimizersAt(network, epoch);
            for (int b = 0; b < optimizers.length; b++) {
                optimizers[b].setLearningRate(rates[b].learningRate());
            }
            Progress progress = new Progress(listeners, epoch, config.epochs(), steps);
            Broadcast<int[]> order = sc.broadcast(EpochSchedule.order(data.trainCount(), config.seed(), epoch));
            EpochSums sums;
            try {
                sums = config.syncEvery() == 1
                        ? synchronousEpoch(config, network, optimizers, data, order, epoch, steps, progress)
                        : roundsEpoch(config, network, optimizers, data, order, epoch, steps, progress);
            } finally {
                order.destroy();
            }
            double trainSeconds = (System.nanoTime() - started) / 1e9;

            long evalStarted = System.nanoTime();
            EpochMetrics.Evaluation evaluation = EpochMetrics.Evaluation.skipped(bestTest);
            if (config.evaluates(epoch)) {
                sc.setJobDescription(jobLabel + "evaluate epoch " + epoch + "/" + config.epochs());
                ConfusionMatrix[] matrices = evaluateBoth(network, data);
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

    /** Tells the listeners how far an epoch has come, after each Spark job. */
    private record Progress(List<TrainingListener> listeners, int epoch, int epochs, int steps) {
        void stepsDone(int done, long samples) {
            for (TrainingListener listener : listeners) {
                listener.stepsDone(epoch, epochs, done, steps, samples);
            }
        }
    }

    /** The exact rule: one Spark job per step, the summed gradient applied by the driver's optimizers. */
    private EpochSums synchronousEpoch(TrainingConfig config, FFNetwork network, Optimizer[] optimizers,
                                       TrainingData data, Broadcast<int[]> order, int epoch, int steps,
                                       Progress progress) {
        EpochSums sums = new EpochSums(network);
        StepRule rule = StepRule.of(config);
        for (int step = 0; step < steps; step++) {
            checkNotCancelled(epoch, step);
            sc.setJobDescription(jobLabel + "train epoch " + epoch + "/" + config.epochs() + " step "
                    + (step + 1) + "/" + steps);
            LayerGradients gradients = stepGradients(network, data.train(), order, epoch, step, rule);
            long driverStarted = System.nanoTime();
            for (int b = 0; b < network.blocks(); b++) {
                if (!Double.isFinite(gradients.loss(b))) {
                    throw new TrainingDivergedException("the loss", b, epoch, step + 1);
                }
                if (!optimizers[b].step(network.parameters(b), gradients.gradient(b))) {
                    throw new TrainingDivergedException("a weight", b, epoch, step + 1);
                }
            }
            if (network instanceof SimpleFFNetwork simple) {
                PeerNormalisation.update(simple, gradients);
            }
            // The step's losses are batch means: weigh them back to sums over samples.
            sums.add(gradients, gradients.positives());
            sums.timing = sums.timing.plus(1, gradients.positives(), gradients.time(),
                    (System.nanoTime() - driverStarted) / 1e9);
            progress.stepsDone(step + 1, sums.timing.samples());
        }
        return sums;
    }

    /**
     * {@code sync=every:K}: one Spark job per round; every partition advances its own replica K steps
     * ({@link PartitionRound}) and the driver averages the replicas.
     */
    private EpochSums roundsEpoch(TrainingConfig config, FFNetwork network, Optimizer[] optimizers,
                                  TrainingData data, Broadcast<int[]> order, int epoch, int steps, Progress progress) {
        EpochSums sums = new EpochSums(network);
        int k = config.stepsPerRound(steps);
        int rounds = (steps + k - 1) / k;
        StepRule rule = StepRule.of(config);
        OptimizerSettings[] settings = config.optimizersAt(network, epoch);
        for (int round = 0; round < rounds; round++) {
            int first = round * k;
            PartitionRound.Plan plan = new PartitionRound.Plan(epoch, first, Math.min(k, steps - first), rule,
                    settings);
            checkNotCancelled(epoch, first);
            sc.setJobDescription(jobLabel + "train epoch " + epoch + "/" + config.epochs() + " steps "
                    + (first + 1) + "-" + (first + plan.steps()) + "/" + steps);
            Broadcast<ReplicaState> start = sc.broadcast(ReplicaState.of(network, optimizers));
            List<PartitionRound.Share> shares;
            try {
                shares = data.train().getNumPartitions() <= DIRECT_SUM_PARTITIONS
                        ? BlockJobs.each(data.train(), (partition, block) ->
                                PartitionRound.run(start.value(), plan, block, order.value()))
                        // The groups' averages, each weighted by its samples: averaged again below.
                        : List.of(treeCombine(data.train().map(block -> {
                            ProductThreads.use(TaskContext.get().cpus());
                            return PartitionRound.run(start.value(), plan, block, order.value());
                        }), PartitionRound::average));
            } finally {
                start.destroy();
            }
            long driverStarted = System.nanoTime();
            PartitionRound.Share averaged = PartitionRound.average(shares);
            if (averaged.divergedLayer() >= 0) {
                throw new TrainingDivergedException("a weight or the loss", averaged.divergedLayer(), epoch,
                        averaged.divergedStep() + 1);
            }
            averaged.state().copyInto(network, optimizers);
            sums.add(averaged);
            sums.timing = sums.timing.plus(1, averaged.samples(), averaged.time(),
                    (System.nanoTime() - driverStarted) / 1e9);
            progress.stepsDone(first + plan.steps(), sums.timing.samples());
        }
        return sums;
    }

    private void checkNotCancelled(int epoch, int step) {
        if (cancelled.getAsBoolean()) {
            throw new FfsparkException(jobLabel + "cancelled at epoch " + epoch + " step " + (step + 1));
        }
    }

    /** An epoch's training figures as they add up, summed over samples. */
    private static final class EpochSums {
        final double[] loss;
        final double[] positive;
        final double[] negative;
        final double[] settling;
        final int layers;
        EpochTiming timing = EpochTiming.NONE;

        EpochSums(FFNetwork network) {
            layers = network.layers();
            loss = new double[network.blocks()];
            positive = new double[layers];
            negative = new double[layers];
            settling = new double[LayerGradients.settlingLength(network)];
        }

        /** One synchronous step's sums; its losses are means over {@code samples}. */
        void add(LayerGradients g, int samples) {
            for (int b = 0; b < loss.length; b++) {
                loss[b] += g.loss(b) * samples;
            }
            for (int l = 0; l < layers; l++) {
                positive[l] += g.positiveGoodnessSum(l);
                negative[l] += g.negativeGoodnessSum(l);
            }
            PartitionRound.addInto(settling, g.settlingSums());
        }

        /** A round's sums, already over samples. */
        void add(PartitionRound.Share round) {
            PartitionRound.addInto(loss, round.lossSums());
            PartitionRound.addInto(positive, round.positiveSums());
            PartitionRound.addInto(negative, round.negativeSums());
            PartitionRound.addInto(settling, round.settlingSums());
        }

        EpochMetrics.TrainingFigures figures(FFNetwork network) {
            double[] layerLoss = new double[layers];
            System.arraycopy(perSample(loss), 0, layerLoss, 0, layers);
            double readout = loss.length > layers ? loss[layers] / timing.samples() : Double.NaN;
            return new EpochMetrics.TrainingFigures(layerLoss, readout, perSample(positive), perSample(negative),
                    settling(network));
        }

        /** Mean goodness per layer and iteration of positives and negatives; null for the simple model. */
        private Settling settling(FFNetwork network) {
            if (settling.length == 0) {
                return null;
            }
            int iterations = settling.length / (2 * layers);
            double[][] pos = new double[layers][iterations];
            double[][] neg = new double[layers][iterations];
            for (int l = 0; l < layers; l++) {
                for (int t = 0; t < iterations; t++) {
                    pos[l][t] = settling[(l * iterations + t) * 2] / timing.samples();
                    neg[l][t] = settling[(l * iterations + t) * 2 + 1] / timing.samples();
                }
            }
            return new Settling(pos, neg);
        }

        private double[] perSample(double[] sums) {
            double[] mean = new double[sums.length];
            for (int i = 0; i < sums.length; i++) {
                mean[i] = sums[i] / timing.samples();
            }
            return mean;
        }
    }

    /**
     * One step's gradient, loss and goodness sums over all partitions: the sum of the partitions'
     * shares, added in partition order.
     */
    public LayerGradients stepGradients(FFNetwork network, JavaRDD<DataBlock> blocks, Broadcast<int[]> order,
                                        int epoch, int step, StepRule rule) {
        Broadcast<FFNetwork> weights = sc.broadcast(network);
        try {
            BlockJobs.PerBlock<DataBlock, LayerGradients> share = (partition, block) -> PartitionStep.share(
                    weights.value(), block, order.value(), epoch, step, rule);
            return blocks.getNumPartitions() <= DIRECT_SUM_PARTITIONS
                    ? sumInOrder(BlockJobs.each(blocks, share))
                    : treeCombine(blocks.map(block -> {
                        ProductThreads.use(TaskContext.get().cpus());
                        return share.apply(0, block);
                    }), DistributedTrainer::sumInOrder);
        } finally {
            weights.destroy();
        }
    }

    /**
     * Up to this many partitions the driver receives every share and combines them itself; beyond, the
     * shares are first combined in groups on the executors ({@link #treeCombine}), so the driver receives
     * about the square root as many.
     */
    static final int DIRECT_SUM_PARTITIONS = 8;

    private static LayerGradients sumInOrder(List<LayerGradients> shares) {
        LayerGradients total = shares.get(0);
        for (int p = 1; p < shares.size(); p++) {
            total.add(shares.get(p));
        }
        return total;
    }

    /**
     * Two-level combination (a sum of gradients, an average of replicas): partitions are grouped by
     * index ({@code sqrt(P)} to a group), each group is combined on an executor in partition order, and
     * the driver combines the groups' results in group order. Spark's own treeAggregate combines in
     * whatever order shuffle blocks arrive, which would make float sums, and so whole runs, differ from
     * one run to the next.
     */
    static <T> T treeCombine(JavaRDD<T> shares, Function<List<T>, T> combine) {
        int partitions = shares.getNumPartitions();
        int groupSize = (int) Math.ceil(Math.sqrt(partitions));
        int groups = (partitions + groupSize - 1) / groupSize;
        List<Tuple2<Integer, T>> combined = shares
                .mapPartitionsWithIndex((index, it) -> {
                    List<Tuple2<Integer, Tuple2<Integer, T>>> keyed = new ArrayList<>();
                    it.forEachRemaining(g -> keyed.add(new Tuple2<>(index / groupSize, new Tuple2<>(index, g))));
                    return keyed.iterator();
                }, true)
                .mapToPair(t -> t)
                .groupByKey(new HashPartitioner(groups))
                .map(group -> {
                    List<Tuple2<Integer, T>> members = new ArrayList<>();
                    group._2().forEach(members::add);
                    members.sort(Comparator.comparing(Tuple2::_1));
                    return new Tuple2<>(group._1(), combine.call(members.stream().map(Tuple2::_2).toList()));
                })
                .collect();
        List<Tuple2<Integer, T>> ordered = new ArrayList<>(combined);
        ordered.sort(Comparator.comparing(Tuple2::_1));
        try {
            return combine.call(ordered.stream().map(Tuple2::_2).toList());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The train-accuracy and test confusion matrices in one Spark job (a union of both block sets,
     * told apart by partition index), so an epoch's evaluation pays one job's overhead, not two.
     */
    private ConfusionMatrix[] evaluateBoth(FFNetwork network, TrainingData data) {
        Broadcast<FFNetwork> weights = sc.broadcast(network);
        List<Tuple2<Integer, ConfusionMatrix>> parts;
        try {
            int trainParts = data.trainAccuracy().getNumPartitions();
            parts = BlockJobs.each(data.trainAccuracy().union(data.test()),
                    (index, block) -> new Tuple2<>(index < trainParts ? 0 : 1,
                            BlockEvaluation.evaluate(weights.value(), block)));
        } finally {
            weights.destroy();
        }
        ConfusionMatrix[] both = new ConfusionMatrix[2];
        for (Tuple2<Integer, ConfusionMatrix> part : parts) {
            int which = part._1();
            both[which] = both[which] == null ? part._2() : both[which].add(part._2());
        }
        for (int i = 0; i < both.length; i++) {
            if (both[i] == null) { // no images (a fit without a test set): accuracy NaN
                both[i] = new ConfusionMatrix(network.classes());
            }
        }
        return both;
    }

    /**
     * Every sample's label and its score of every label ({@code scores[i * classes + c]}), in the blocks'
     * order, computed where the blocks are and brought to the driver: for a few thousand samples.
     */
    public record Scored(int[] labels, float[] scores, int count, int classes) implements java.io.Serializable {
    }

    public Scored score(FFNetwork network, JavaRDD<DataBlock> blocks) {
        Broadcast<FFNetwork> weights = sc.broadcast(network);
        List<Scored> parts;
        try {
            parts = BlockJobs.each(blocks, (index, block) -> {
                float[] pixels = new float[block.count() * block.features()];
                for (int i = 0; i < block.count(); i++) {
                    block.copyScaled(i, pixels, i * block.features());
                }
                float[] scores = new float[block.count() * weights.value().classes()];
                org.ffspark.model.FFKernels.score(weights.value(), pixels, block.count(), scores);
                return new Scored(java.util.Arrays.copyOf(block.labels(), block.count()), scores, block.count(),
                        weights.value().classes());
            });
        } finally {
            weights.destroy();
        }
        int n = parts.stream().mapToInt(Scored::count).sum();
        int classes = network.classes();
        int[] labels = new int[n];
        float[] scores = new float[n * classes];
        int at = 0;
        for (Scored part : parts) {
            System.arraycopy(part.labels(), 0, labels, at, part.count());
            System.arraycopy(part.scores(), 0, scores, at * classes, part.count() * classes);
            at += part.count();
        }
        return new Scored(labels, scores, n, classes);
    }

    /** Accuracy counts of a network on blocks, computed where the blocks are. */
    public ConfusionMatrix evaluate(FFNetwork network, JavaRDD<DataBlock> blocks) {
        Broadcast<FFNetwork> weights = sc.broadcast(network);
        try {
            ConfusionMatrix total = new ConfusionMatrix(network.classes());
            for (ConfusionMatrix part : BlockJobs.each(blocks, (index, block) ->
                    BlockEvaluation.evaluate(weights.value(), block))) {
                total.add(part);
            }
            return total;
        } finally {
            weights.destroy();
        }
    }
}
