package org.ffspark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.ffspark.data.DataBlock;
import org.ffspark.data.LabeledImages;
import org.ffspark.linalg.KernelTime;
import org.ffspark.model.FFNetwork;
import org.ffspark.model.GoodnessRule;
import org.ffspark.model.LayerGradients;
import org.ffspark.model.LearningRule;
import org.ffspark.model.SimpleFFNetwork;
import org.ffspark.optim.Adam;
import org.ffspark.optim.OptimizerSettings;
import org.ffspark.partition.EpochSchedule;
import org.ffspark.partition.PartitionRound;
import org.ffspark.partition.PartitionStep;
import org.ffspark.partition.ReplicaState;
import org.ffspark.partition.StepSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PartitionRoundTest {
    private static final long SEED = 42;
    private static final int BATCH = 32;
    private static LabeledImages train;

    @BeforeAll
    static void load() {
        train = LocalSpark.mnistData().train().randomSubset(400, SEED, 1);
    }

    private static final StepSettings RULE = new StepSettings(BATCH, SEED, LearningRule.NOTEBOOK);

    private static PartitionRound.Plan plan(int epoch, int first, int steps) {
        return new PartitionRound.Plan(epoch, first, steps, RULE,
                new OptimizerSettings[] {OptimizerSettings.NOTEBOOK, OptimizerSettings.NOTEBOOK}, false);
    }

    private static FFNetwork network() {
        return SimpleFFNetwork.initialize(784, 10, new int[] {40, 30}, GoodnessRule.PAPER, SEED);
    }

    private static ReplicaState fresh(FFNetwork net) {
        Adam[] adams = new Adam[net.layers()];
        for (int l = 0; l < adams.length; l++) {
            adams[l] = new Adam(OptimizerSettings.NOTEBOOK, net.parameterCount(l));
        }
        return ReplicaState.of(net, adams);
    }

    @Test
    void oneReplicaTakingKStepsIsExactlyKSynchronousSteps() {
        FFNetwork synchronous = network();
        ReplicaState start = fresh(synchronous.copy());
        Adam[] adams = new Adam[synchronous.layers()];
        for (int l = 0; l < adams.length; l++) {
            adams[l] = new Adam(OptimizerSettings.NOTEBOOK, synchronous.parameterCount(l));
        }
        DataBlock everything = train.blocks(1).get(0);
        int epoch = 2;
        int[] order = EpochSchedule.order(train.count(), SEED, epoch);
        for (int step = 3; step < 8; step++) {
            LayerGradients g = PartitionStep.share(synchronous, everything, order, epoch, step, RULE);
            for (int l = 0; l < adams.length; l++) {
                adams[l].step(synchronous.parameters(l), g.gradient(l));
            }
        }
        PartitionRound.Share round = PartitionRound.average(List.of(
                PartitionRound.run(start, plan(epoch, 3, 5), everything, order)));
        for (int l = 0; l < adams.length; l++) {
            assertArrayEquals(synchronous.parameters(l), round.state().network().parameters(l), "layer " + l);
            assertArrayEquals(adams[l].secondMoment(), round.state().secondMoment(l));
        }
        assertEquals(5, round.state().optimizerSteps());
        assertEquals(5 * BATCH, round.samples());
    }

    @Test
    void replicasAreAveragedWeightedByTheirSamples() {
        FFNetwork a = network();
        FFNetwork b = network();
        a.parameters(0)[0] = 1f;
        b.parameters(0)[0] = 4f;
        ReplicaState sa = fresh(a);
        ReplicaState sb = fresh(b);
        sa.firstMoment(1)[2] = 2f;
        PartitionRound.Share first = new PartitionRound.Share(sa, 30, new double[] {1, 2}, new double[] {3, 4},
                new double[] {5, 6}, new double[0], new KernelTime(), -1, -1);
        PartitionRound.Share second = new PartitionRound.Share(sb, 10, new double[] {1, 2}, new double[] {3, 4},
                new double[] {5, 6}, new double[0], new KernelTime(), -1, -1);
        PartitionRound.Share mean = PartitionRound.average(List.of(first, second));
        assertEquals(0.75f * 1f + 0.25f * 4f, mean.state().network().parameters(0)[0], 1e-6);
        assertEquals(1.5f, mean.state().firstMoment(1)[2], 1e-6);
        assertEquals(a.parameters(1)[5], mean.state().network().parameters(1)[5], 1e-6);
        assertEquals(40, mean.samples());
        assertArrayEquals(new double[] {2, 4}, mean.lossSums());
    }

    @Test
    void distributedRoundsEqualTheSameRoundsRunInOneProcess() {
        JavaSparkContext sc = LocalSpark.context();
        TrainingData data = LocalSpark.trainingData(400, 100, SEED, 2);
        int epoch = 1;
        int[] order = EpochSchedule.order(train.count(), SEED, epoch);
        ReplicaState start = fresh(network());
        List<PartitionRound.Share> local = new ArrayList<>();
        for (DataBlock block : train.blocks(2)) {
            local.add(PartitionRound.run(start, plan(epoch, 0, 6), block, order));
        }
        PartitionRound.Share expected = PartitionRound.average(local);

        Broadcast<ReplicaState> shared = sc.broadcast(start);
        Broadcast<int[]> sharedOrder = sc.broadcast(order);
        PartitionRound.Share distributed = PartitionRound.average(data.train()
                .map(block -> PartitionRound.run(shared.value(), plan(epoch, 0, 6), block, sharedOrder.value()))
                .collect());
        for (int l = 0; l < 2; l++) {
            assertArrayEquals(expected.state().network().parameters(l), distributed.state().network().parameters(l));
            assertArrayEquals(expected.state().firstMoment(l), distributed.state().firstMoment(l));
        }
        // Two replicas that drifted apart for 6 steps: not the synchronous trajectory.
        FFNetwork synchronous = PartitionRound.run(start, plan(epoch, 0, 6), train.blocks(1).get(0), order).state().network();
        assertNotEquals(synchronous, expected.state().network());
    }

    /** Past PartitionOrder.DIRECT_PARTITIONS the replicas are averaged in groups on the executors. */
    @Test
    void twelveReplicasAveragedInGroupsEqualTheirPlainAverage() {
        JavaSparkContext sc = LocalSpark.context();
        int partitions = 12;
        TrainingData data = LocalSpark.trainingData(400, 100, SEED, partitions);
        int epoch = 2;
        int[] order = EpochSchedule.order(train.count(), SEED, epoch);
        ReplicaState start = fresh(network());
        List<PartitionRound.Share> local = new ArrayList<>();
        for (DataBlock block : train.blocks(partitions)) {
            local.add(PartitionRound.run(start, plan(epoch, 0, 3), block, order));
        }
        PartitionRound.Share expected = PartitionRound.average(local);

        Broadcast<ReplicaState> shared = sc.broadcast(start);
        Broadcast<int[]> sharedOrder = sc.broadcast(order);
        PartitionRound.Share grouped = PartitionRound.average(PartitionOrder.inGroups(data.train()
                .map(block -> PartitionRound.run(shared.value(), plan(epoch, 0, 3), block, sharedOrder.value())),
                PartitionRound::average));
        assertEquals(expected.samples(), grouped.samples());
        for (int l = 0; l < 2; l++) {
            float[] a = expected.state().network().parameters(l);
            float[] b = grouped.state().network().parameters(l);
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 1e-6f * Math.max(1f, Math.abs(a[i])), "layer " + l + " weight " + i);
            }
            assertEquals(expected.lossSums()[l], grouped.lossSums()[l], 1e-9 * Math.abs(expected.lossSums()[l]));
        }
    }
}
