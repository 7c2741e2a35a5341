package org.ffspark.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ffspark.config.ConfigKey;
import org.ffspark.config.Settings;
import org.ffspark.config.TrainingConfigReader;
import org.ffspark.train.TrainingConfig;
import org.junit.jupiter.api.Test;

/**
 * The key table's classification holds: a key marked as changing the trajectory changes what a run
 * trains (and so the resume fingerprint), a key marked otherwise changes neither.
 */
class FingerprintTest {
    /** Settings a key's example needs beside it to be valid. */
    private static final List<String> FILES = List.of("data.trainImages=a", "data.trainLabels=b",
            "data.testImages=c", "data.testLabels=d");
    private static final List<String> NESTEROV = List.of("sync=local", "outerOptimizer=nesterov");
    private static final List<String> RECURRENT = List.of("model=recurrent");
    private static final List<String> ADAM = List.of("optimizer=adam");
    private static final Map<String, List<String>> COMPANIONS = Map.ofEntries(
            Map.entry("classifier", List.of("readout=local")), Map.entry("lrScaling", List.of("batchSize=128")),
            Map.entry("lrBaseBatch", List.of("lrScaling=sqrt")), Map.entry("dataFormat", List.of("testData=t")),
            Map.entry("outerOptimizer", List.of("sync=local")), Map.entry("outerLr", NESTEROV),
            Map.entry("outerMomentum", NESTEROV), Map.entry("innerState", List.of("sync=local")),
            Map.entry("localWarmup", List.of("sync=local")), Map.entry("deltaPrecision", List.of("sync=local")),
            Map.entry("iterations", RECURRENT),
            Map.entry("damping", RECURRENT), Map.entry("scoreIterations", RECURRENT),
            Map.entry("readoutLr", List.of("readout=local")), Map.entry("readoutWeightDecay", List.of("readout=local")),
            Map.entry("beta1", ADAM), Map.entry("beta2", ADAM), Map.entry("adamEpsilon", ADAM),
            Map.entry("momentum", List.of("optimizer=sgd")),
            Map.entry("data.trainImages", FILES), Map.entry("data.trainLabels", FILES),
            Map.entry("data.testImages", FILES), Map.entry("data.testLabels", FILES));

    private static Settings settings(List<String> arguments) {
        return Settings.parse(null, arguments, ConfigKey.TRAINING);
    }

    /** What a config trains: everything but where the data and output live, and how many epochs. */
    private static String trajectory(TrainingConfig c) {
        TrainingConfig.DataSelection d = c.data();
        return new TrainingConfig(new TrainingConfig.DataSelection(null, null, d.trainLimit(), d.testLimit(),
                d.trainAccuracyImages(), d.partitions(), null), c.model(), c.hidden(), c.goodness(), c.design(), c.dynamics(),
                c.readout(), c.classifier(), 0, c.batchSize(), c.optimizer(), c.readoutOptimizer(), c.lrSchedule(),
                c.rule(), c.sync(), c.seed(), null).toString();
    }

    /** The fingerprint of a run of {@code s} on Spark's default of 2 partitions, unless it names its own. */
    private static Map<String, String> fingerprint(Settings s) {
        TrainingConfig c = TrainingConfigReader.from(s);
        int partitions = c.data().partitions() == 0 ? 2 : c.data().partitions();
        return Fingerprint.of(s, c, partitions, Map.of("f", "abc"));
    }

    @Test
    void everyKeyIsClassifiedByWhatItChanges() {
        for (ConfigKey key : ConfigKey.TRAINING) {
            List<String> base = new ArrayList<>(COMPANIONS.getOrDefault(key.name(), List.of()));
            List<String> changed = new ArrayList<>(base);
            changed.add(key.name() + "=" + key.example());
            Settings before = settings(base);
            Settings after = settings(changed);
            String what = key.name() + "=" + key.example();
            if (key.effect() == ConfigKey.Effect.TRAJECTORY) {
                assertNotEquals(trajectory(TrainingConfigReader.from(before)),
                        trajectory(TrainingConfigReader.from(after)),
                        what + " is marked as changing the trajectory but changes nothing trained");
                assertNotEquals(fingerprint(before), fingerprint(after), what);
            } else {
                assertEquals(trajectory(TrainingConfigReader.from(before)),
                        trajectory(TrainingConfigReader.from(after)),
                        what + " changes what is trained but is not marked as changing the trajectory");
                assertEquals(fingerprint(before), fingerprint(after), what);
            }
        }
    }

    @Test
    void beforeSparkStartsPartitionsLeftToSparkAndLocalStepKeysOfOtherModesAreNotCompared() {
        Settings epoch = settings(List.of("sync=epoch"));
        Map<String, String> early = Fingerprint.ofSettings(epoch, TrainingConfigReader.from(epoch));
        assertFalse(early.containsKey("partitions"), "Spark's default parallelism is checked once Spark has it");
        assertFalse(early.containsKey("outerOptimizer"), "checkpoints of sync=epoch from before local steps resume");
        assertFalse(fingerprint(epoch).containsKey("localWarmup"));
        Settings local = settings(List.of("sync=local", "partitions=4"));
        Map<String, String> named = Fingerprint.ofSettings(local, TrainingConfigReader.from(local));
        assertEquals("4", named.get("partitions"));
        assertEquals("nesterov", named.get("outerOptimizer"));
    }
}
