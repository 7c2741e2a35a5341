package org.ffspark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ffspark.config.ConfigKey;
import org.ffspark.config.Settings;
import org.ffspark.config.TrainingConfigReader;
import org.ffspark.data.DataBlock;
import org.ffspark.model.FFNetwork;
import org.ffspark.optim.Optimizer;
import org.ffspark.optim.OptimizerSettings;
import org.ffspark.optim.OuterOptimizer;
import org.ffspark.partition.EpochSchedule;
import org.ffspark.partition.PartitionRound;
import org.ffspark.partition.PartitionStep;
import org.ffspark.partition.ReplicaState;
import org.junit.jupiter.api.Test;

/**
 * Local steps ({@code sync=local:K}): each copy walks its own share of the epoch in full batches; on one
 * partition that is the exact rule, and on several the cluster computes what the same rounds compute in
 * one process, bit for bit.
 */
class LocalStepsTest {
    private static final long SEED = 9;
    private static final int TRAIN = 600;

    /**
     * The paper's pieces on a small network: SGD, peer normalisation, a local readout and its negatives;
     * local steps from the first epoch unless a test asks for a warm-up.
     */
    private static TrainingConfig config(String... extra) {
        List<String> arguments = new ArrayList<>(List.of("out=unused", "hidden=30,20", "epochs=2", "batchSize=64",
                "seed=" + SEED, "norm=rms", "goodness=sum", "threshold=width", "scoreFrom=2", "optimizer=sgd",
                "lr=0.003", "momentum=0.9", "weightDecay=3e-4", "peerNorm=0.03", "lrDecay=linear",
                "negatives=readout", "readout=local"));
        if (Arrays.stream(extra).anyMatch(a -> a.startsWith("sync=local"))) {
            arguments.add("localWarmup=0");
        }
        arguments.addAll(Arrays.asList(extra));
        return TrainingConfigReader.from(Settings.parse(null, arguments, ConfigKey.TRAINING));
    }

    private static DistributedTrainer.Result train(TrainingConfig config, TrainingData data) {
        return new DistributedTrainer(LocalSpark.context()).train(config, config.initialNetwork(784, 10), data,
                List.of(), null);
    }

    @Test
    void localStepsOnOnePartitionAreTheExactRuleBitForBit() {
        TrainingData data = LocalSpark.trainingData(TRAIN, 100, SEED, 1);
        FFNetwork exact = train(config("sync=every:1"), data).network();
        // The plain average of one copy with its momentum carried on: nothing but the exact rule's steps.
        String[] asIs = {"outerOptimizer=average", "innerState=average"};
        assertEquals(exact, train(config("sync=local", asIs[0], asIs[1]), data).network());
        assertEquals(exact, train(config("sync=local:3", asIs[0], asIs[1]), data).network());
        assertNotEquals(exact, train(config("sync=local:3"), data).network(), "a Nesterov step, fresh momentum");
    }

    @Test
    void warmUpEpochsOnFourPartitionsAreOneCopysExactEpochs() {
        FFNetwork exact = train(config("sync=every:1"), LocalSpark.trainingData(TRAIN, 100, SEED, 1)).network();
        TrainingData four = LocalSpark.trainingData(TRAIN, 100, SEED, 4);
        assertEquals(exact, train(config("sync=local", "localWarmup=2"), four).network());
        TrainingConfig afterWarmUp = config("sync=local", "localWarmup=1");
        assertNotEquals(exact, train(afterWarmUp, four).network());
        assertEquals(inOneProcess(afterWarmUp, four.train().collect()), train(afterWarmUp, four).network());
    }

    @Test
    void aCopyTakesItsOwnShareInFullBatchesAndARoundEndsWithTheEpoch() {
        // 4 blocks of 150: 64 + 64 + 22 images, 3 steps a copy an epoch; local:2 makes rounds of 2 and 1.
        TrainingData data = LocalSpark.trainingData(TRAIN, 100, SEED, 4);
        List<EpochMetrics> epochs = train(config("sync=local:2"), data).epochs();
        for (EpochMetrics epoch : epochs) {
            assertEquals(2, epoch.timing().jobs());
            assertEquals(TRAIN, epoch.timing().samples());
        }
        int[] order = EpochSchedule.order(TRAIN, SEED, 1);
        DataBlock block = data.train().collect().get(1);
        int[] own = PartitionStep.ownShare(block, order);
        assertEquals(block.count(), own.length);
        assertArrayEquals(Arrays.stream(order).filter(block::holds).toArray(), own);
    }

    @Test
    void localStepsOnFourPartitionsAreTheSameRoundsComputedInOneProcess() {
        TrainingData data = LocalSpark.trainingData(TRAIN, 100, SEED, 4);
        for (String[] setting : new String[][] {{"sync=local:2"},
            {"sync=local", "outerOptimizer=average", "innerState=average"}}) {
            TrainingConfig config = config(setting);
            FFNetwork distributed = train(config, data).network();
            assertEquals(inOneProcess(config, data.train().collect()), distributed, String.join(" ", setting));
            assertNotEquals(train(config("sync=every:1"), data).network(), distributed);
        }
    }

    @Test
    void pastEightPartitionsTheCopiesAreAveragedInSlicesToTheSameNetwork() {
        // Ten partitions: each copy's pieces are averaged on the executors, slice by slice.
        TrainingData data = LocalSpark.trainingData(TRAIN, 100, SEED, 10);
        List<DataBlock> blocks = data.train().collect();
        for (String[] setting : new String[][] {{"sync=local:2", "deltaPrecision=float32"}, {"sync=every:3"}}) {
            TrainingConfig config = config(setting);
            FFNetwork distributed = train(config, data).network();
            if (config.sync().local()) {
                assertEquals(inOneProcess(config, blocks), distributed, String.join(" ", setting));
            }
            assertEquals(distributed, train(config, data).network(), "again, the same network");
        }
        // Changes in bfloat16: another network, as reproducible, and near the float32 one.
        FFNetwork whole = train(config("sync=local:2", "deltaPrecision=float32"), data).network();
        FFNetwork half = train(config("sync=local:2"), data).network();
        assertNotEquals(whole, half);
        assertEquals(half, train(config("sync=local:2"), data).network());
        float[] a = whole.parameters(1);
        float[] b = half.parameters(1);
        double largest = 0;
        double difference = 0;
        for (int i = 0; i < a.length; i++) {
            largest = Math.max(largest, Math.abs(a[i]));
            difference = Math.max(difference, Math.abs(a[i] - b[i]));
        }
        assertTrue(difference < 0.02 * largest, "bfloat16 changes move the weights little: " + difference + " of "
                + largest);
    }

    @Test
    void aRetriedRoundComputesTheSameCopy() {
        TrainingConfig config = config("sync=local:2");
        TrainingData data = LocalSpark.trainingData(TRAIN, 100, SEED, 4);
        DataBlock block = data.train().collect().get(2);
        FFNetwork net = config.initialNetwork(784, 10);
        ReplicaState start = ReplicaState.of(net, optimizers(config, net));
        PartitionRound.Plan plan = new PartitionRound.Plan(1, 0, 2, config.stepSettings(), config.optimizersAt(net, 1),
                true);
        int[] order = EpochSchedule.order(TRAIN, SEED, 1);
        PartitionRound.Share first = PartitionRound.run(start, plan, block, order);
        PartitionRound.Share again = PartitionRound.run(start, plan, block, order);
        assertEquals(first.state().network(), again.state().network());
        assertArrayEquals(first.state().firstMoment(0), again.state().firstMoment(0));
        assertEquals(128, first.samples());
    }

    private static Optimizer[] optimizers(TrainingConfig config, FFNetwork net) {
        OptimizerSettings[] settings = config.optimizersAt(net, 1);
        Optimizer[] optimizers = new Optimizer[net.blocks()];
        for (int b = 0; b < optimizers.length; b++) {
            optimizers[b] = Optimizer.create(settings[b], net.parameterCount(b));
        }
        return optimizers;
    }

    /** The trainer's rounds of local steps, one partition after another in this thread. */
    private static FFNetwork inOneProcess(TrainingConfig config, List<DataBlock> blocks) {
        FFNetwork net = config.initialNetwork(784, 10);
        Optimizer[] optimizers = optimizers(config, net);
        int[] sizes = new int[net.blocks()];
        for (int b = 0; b < sizes.length; b++) {
            sizes[b] = net.parameterCount(b);
        }
        OuterOptimizer outer = new OuterOptimizer(config.sync().outer(), sizes);
        int largest = blocks.stream().mapToInt(DataBlock::count).max().orElseThrow();
        int steps = EpochSchedule.steps(largest, config.batchSize());
        int k = config.sync().stepsPerRound(steps);
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            int[] order = EpochSchedule.order(TRAIN, SEED, epoch);
            if (config.sync().warmingUp(epoch)) {
                PartitionRound.Plan plan = new PartitionRound.Plan(epoch, 0, EpochSchedule.steps(TRAIN,
                        config.batchSize()), config.stepSettings(), config.optimizersAt(net, epoch), true);
                PartitionRound.run(ReplicaState.of(net.copy(), optimizers), plan, DataBlock.concat(blocks), order)
                        .state().copyInto(net, optimizers);
                continue;
            }
            for (int first = 0; first < steps; first += k) {
                PartitionRound.Plan plan = new PartitionRound.Plan(epoch, first, Math.min(k, steps - first),
                        config.stepSettings(), config.optimizersAt(net, epoch), true);
                ReplicaState start = config.sync().resetInner() ? ReplicaState.weightsOnly(net.copy())
                        : ReplicaState.of(net.copy(), optimizers);
                List<PartitionRound.Share> shares = new ArrayList<>();
                for (DataBlock block : blocks) {
                    shares.add(PartitionRound.run(start, plan, block, order));
                }
                PartitionRound.Share averaged = PartitionRound.average(shares);
                for (int b = 0; b < net.blocks(); b++) {
                    outer.merge(b, net.parameters(b), averaged.state().network().parameters(b));
                }
                averaged.state().restoreOptimizers(optimizers);
                averaged.state().copyUnitMeans(net);
            }
        }
        return net;
    }
}
