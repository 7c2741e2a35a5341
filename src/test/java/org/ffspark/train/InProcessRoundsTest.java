package org.ffspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.ffspark.config.ConfigKey;
import org.ffspark.config.Settings;
import org.ffspark.config.TrainingConfigReader;
import org.ffspark.linalg.ReusedArrays;
import org.ffspark.model.FFNetwork;
import org.junit.jupiter.api.Test;

/**
 * A local master runs its tasks in the driver's JVM: values go to the tasks and results come back by
 * reference, and replicas' arrays are reused round after round, and none of it changes a bit of the
 * model or outlives its job.
 */
class InProcessRoundsTest {
    /** Results as a task made them, for the driver to compare identities with (tasks run in this JVM). */
    private static final Map<Integer, Object> MADE = new ConcurrentHashMap<>();

    @Test
    void resultsComeBackAsTheTasksMadeThemInPartitionOrder() {
        JavaSparkContext sc = LocalSpark.context();
        JavaRDD<Integer> numbers = sc.parallelize(Arrays.asList(0, 1, 2, 3, 4, 5), 3);
        DriverValue<int[]> offset = DriverValue.of(sc, new int[] {100});
        List<int[]> results;
        try {
            results = BlockJobs.each(numbers, (partition, n) -> {
                int[] made = {partition, n + offset.value()[0]};
                MADE.put(n, made);
                return made;
            });
        } finally {
            offset.destroy();
        }
        assertEquals(6, results.size());
        for (int n = 0; n < 6; n++) {
            assertEquals(n / 2, results.get(n)[0]);
            assertEquals(100 + n, results.get(n)[1]);
            assertSame(MADE.get(n), results.get(n), "handed over, not serialised and read back");
        }
        assertEquals(0, BlockJobs.heldInProcess());
        assertEquals(0, DriverValue.liveInProcess());
        assertThrows(IllegalStateException.class, offset::value);
    }

    @Test
    void aFailedJobLeavesNothingHeld() {
        JavaSparkContext sc = LocalSpark.context();
        JavaRDD<Integer> numbers = sc.parallelize(Arrays.asList(1, 2, 3, 4), 2);
        assertThrows(Exception.class, () -> BlockJobs.each(numbers, (partition, n) -> {
            if (n == 4) {
                throw new IllegalArgumentException("the last one fails");
            }
            return n;
        }));
        assertEquals(0, BlockJobs.heldInProcess());
    }

    private static TrainingConfig config(String sync) {
        List<String> arguments = new ArrayList<>(List.of("out=unused", "hidden=400,20", "epochs=2",
                "batchSize=64", "seed=5", "norm=rms", "goodness=sum", "threshold=width", "scoreFrom=2",
                "optimizer=sgd", "lr=0.003", "momentum=0.9", "weightDecay=3e-4", "peerNorm=0.03",
                "negatives=readout", "readout=local", "sync=" + sync));
        return TrainingConfigReader.from(Settings.parse(null, arguments, ConfigKey.TRAINING));
    }

    private static FFNetwork train(String sync, TrainingData data) {
        TrainingConfig config = config(sync);
        return new DistributedTrainer(LocalSpark.context()).train(config, config.initialNetwork(784, 10), data,
                List.of(), null).network();
    }

    @Test
    void roundsOnReusedArraysAreTheExactRuleBitForBit() {
        // A first layer of 784 x 400 weights and its momentum: large enough to be handed back and reused.
        TrainingData data = LocalSpark.trainingData(320, 100, 5, 1);
        FFNetwork exact = train("every:1", data);
        long reusedBefore = ReusedArrays.reused();
        FFNetwork rounds = train("every:2", data);
        // Three rounds an epoch, two epochs: every round after the first copies into the last one's arrays.
        assertTrue(ReusedArrays.reused() - reusedBefore >= 5 * 2, "weights and momentum of five rounds");
        assertEquals(0, ReusedArrays.heldBytes(), "let go when the training ended");
        assertEquals(exact, rounds);
        assertEquals(exact, train("epoch", data));
        assertEquals(0, BlockJobs.heldInProcess());
        assertEquals(0, DriverValue.liveInProcess());
    }
}
