package org.ffspark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.ffspark.data.DataBlock;
import org.ffspark.data.LabeledImages;
import org.ffspark.model.Classifier;
import org.ffspark.model.FFNetwork;
import org.ffspark.model.GoodnessRule;
import org.ffspark.model.InputNorm;
import org.ffspark.model.LayerGradients;
import org.ffspark.model.LearningRule;
import org.ffspark.model.NegativeRule;
import org.ffspark.model.RecurrentFFNetwork;
import org.ffspark.model.SimpleFFNetwork;
import org.ffspark.partition.EpochSchedule;
import org.ffspark.partition.PartitionStep;
import org.ffspark.partition.StepSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DistributedGradientTest {
    private static final long SEED = 42;
    private static LabeledImages train;
    private static LabeledImages test;
    private static FFNetwork network;
    private static FFNetwork recurrent;
    private static FFNetwork paper;

    @BeforeAll
    static void load() {
        LocalSpark.Mnist data = LocalSpark.mnistData();
        train = data.train().randomSubset(700, SEED, 1);
        test = data.test().randomSubset(100, SEED, 2);
        network = SimpleFFNetwork.initialize(784, 10, new int[] {60, 40}, GoodnessRule.PAPER, SEED);
        recurrent = RecurrentFFNetwork.initialize(784, 10, new int[] {50, 30}, GoodnessRule.PAPER,
                RecurrentFFNetwork.Dynamics.PAPER, SEED);
        paper = SimpleFFNetwork.initialize(784, 10, new int[] {60, 40, 30}, new GoodnessRule(GoodnessRule.Measure.SUM,
                0, true), new SimpleFFNetwork.Design(InputNorm.RMS, 1, true, Classifier.READOUT), SEED);
        // Move away from the initial point so that every layer has sizeable, non-trivial gradients.
        for (FFNetwork net : new FFNetwork[] {network, recurrent, paper}) {
            for (int l = 0; l < net.layers(); l++) {
                float[] p = net.parameters(l);
                for (int i = 0; i < p.length; i++) {
                    p[i] = p[i] * (net == paper ? 0.5f : 8) + (net == recurrent && i % 7 == 0 ? 0.05f : 0f);
                }
            }
            if (net == paper) {
                float[] r = net.parameters(3);
                for (int i = 0; i < r.length; i++) {
                    r[i] = (i % 13) * 0.1f - 0.6f;
                }
            }
        }
    }

    @ParameterizedTest(name = "recurrent, {0} partitions")
    @ValueSource(ints = {1, 2, 4})
    void recurrentDistributedGradientEqualsSingleProcessGradient(int partitions) {
        check(recurrent, partitions);
    }

    // 12 partitions go past PartitionOrder.DIRECT_PARTITIONS: the shares are added in groups
    @ParameterizedTest(name = "{0} partitions")
    @ValueSource(ints = {1, 2, 4, 12})
    void distributedGradientEqualsSingleProcessGradient(int partitions) {
        check(network, partitions);
    }

    // The paper's pieces: readout negatives, peer normalisation, the readout learning alongside.
    @ParameterizedTest(name = "paper pieces, {0} partitions")
    @ValueSource(ints = {1, 2, 12})
    void distributedGradientWithThePapersPiecesEqualsSingleProcessGradient(int partitions) {
        check(paper, partitions, new StepSettings(64, SEED, new LearningRule(NegativeRule.READOUT, 0.03f)));
    }

    private static final StepSettings RULE = new StepSettings(64, SEED, LearningRule.NOTEBOOK);

    private static void check(FFNetwork network, int partitions) {
        check(network, partitions, RULE);
    }

    private static void check(FFNetwork network, int partitions, StepSettings rule) {
        JavaSparkContext sc = LocalSpark.context();
        TrainingData data = LocalSpark.trainingData(700, 100, SEED, partitions);
        assertEquals(partitions, data.partitions());
        DataBlock everything = train.blocks(1).get(0);
        int epoch = 3;
        int[] order = EpochSchedule.order(train.count(), SEED, epoch);
        Broadcast<int[]> shared = sc.broadcast(order);
        // step 10 is the last, short batch of 700 / 64
        for (int step : new int[] {0, 5, 10}) {
            LayerGradients single = PartitionStep.share(network, everything, order, epoch, step, rule);
            LayerGradients distributed = ExactSteps.gradients(sc, network, data.train(), shared,
                    epoch, step, rule);
            assertEquals(single.positives(), distributed.positives());
            for (int l = 0; l < network.blocks(); l++) {
                float[] a = single.gradient(l);
                float[] b = distributed.gradient(l);
                double largest = 0;
                double worst = 0;
                for (int i = 0; i < a.length; i++) {
                    largest = Math.max(largest, Math.abs(a[i]));
                    worst = Math.max(worst, Math.abs(a[i] - b[i]));
                }
                assertTrue(largest > 1e-4, "layer " + l + " gradient is not trivially zero");
                assertTrue(worst / largest < 1e-5, "step " + step + " layer " + l + ": relative error "
                        + worst / largest);
                assertEquals(single.loss(l), distributed.loss(l), 1e-6 * Math.abs(single.loss(l)));
                if (l < network.layers()) {
                    assertEquals(single.positiveGoodnessSum(l), distributed.positiveGoodnessSum(l),
                            1e-5 * Math.abs(single.positiveGoodnessSum(l)));
                }
            }
            for (int l = 0; single.tracksActivity() && l < network.layers(); l++) {
                assertArrayEquals(single.activitySums(l), distributed.activitySums(l), 1e-3f, "activity sums " + l);
            }
            LayerGradients again = ExactSteps.gradients(sc, network, data.train(), shared,
                    epoch, step, rule);
            for (int l = 0; l < network.blocks(); l++) {
                assertArrayEquals(distributed.gradient(l), again.gradient(l), "the same sum, bit for bit, every time");
            }
        }
        shared.destroy();
    }
}
