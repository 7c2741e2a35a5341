package org.ffspark.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.ffspark.FfsparkException;
import org.ffspark.config.ConfigKey;
import org.ffspark.config.Settings;
import org.ffspark.config.TrainingConfigReader;
import org.ffspark.data.IdxFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is checked before Spark starts, with absolute paths in the messages. */
class PreflightTest {
    @TempDir
    Path tmp;

    private final Configuration hadoop = new Configuration();

    private String trainRefusal(String... arguments) {
        List<String> all = new ArrayList<>(Arrays.asList(arguments));
        return assertThrows(FfsparkException.class, () -> Preflight.training(TrainingConfigReader.from(
                Settings.parse(null, all, ConfigKey.TRAINING)), hadoop)).getMessage();
    }

    @Test
    void aMissingDataDirectoryIsNamedByItsAbsolutePath() {
        String message = trainRefusal("data=nowhere/mnist");
        assertEquals("data directory not found: " + Path.of("nowhere/mnist").toAbsolutePath() + " (a relative path "
                + "is taken from the working folder, or in a config file from the file's folder)", message);
    }

    @Test
    void moreThreadsThanAnExecutorHasCoresAreRefusedInOneLine() {
        SparkConf local = new SparkConf().setMaster("local[2]");
        assertEquals("threads=3 needs 3 cores a task, but local[2] has 2 cores; use threads=2 or fewer, or give "
                + "executors more cores", assertThrows(FfsparkException.class,
                        () -> Preflight.taskCores(3, local)).getMessage());
        Preflight.taskCores(2, local);
        SparkConf yarn = new SparkConf().setMaster("yarn");
        assertThrows(FfsparkException.class, () -> Preflight.taskCores(2, yarn));
        Preflight.taskCores(2, yarn.set("spark.executor.cores", "2"));
        assertThrows(FfsparkException.class, () -> Preflight.taskCores(1, local.clone().set("spark.task.cpus", "3")));
        // A standalone cluster's executors take what the workers offer: not known before they start.
        Preflight.taskCores(64, new SparkConf().setMaster("spark://127.0.0.1:7077"));
    }

    @Test
    void anOutHoldingAnEarlierRunIsRefusedBeforeAnythingStarts() throws Exception {
        Path data = IdxFixtures.dataDirectory(tmp.resolve("data"), 20, 10, 28, 28);
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(out.resolve("summary.json"), "{}");
        String message = trainRefusal("data=" + data, "out=" + out);
        assertEquals("out " + out + " already holds an earlier run's summary.json; choose another out, set "
                + "resume=true to continue it, or set overwrite=true to replace it", message);
        Preflight.training(TrainingConfigReader.from(Settings.parse(null, List.of("data=" + data, "out=" + out,
                "overwrite=true"), ConfigKey.TRAINING)), hadoop);
    }

    @Test
    void predictionValuesAndFilesAreCheckedFirst() throws Exception {
        Path model = tmp.resolve("model.ffm");
        Files.write(model, org.ffspark.store.ModelFile.toBytes(org.ffspark.model.SimpleFFNetwork.initialize(784, 10,
                new int[] {5}, org.ffspark.model.GoodnessRule.PAPER, 1), java.util.Map.of()));
        Path images = tmp.resolve("images");
        Settings yes = Settings.parse(null, List.of("invert=yes"), ConfigKey.PREDICTION);
        assertEquals("invert must be true or false, got 'yes' (from the command line)", assertThrows(
                FfsparkException.class, () -> Preflight.prediction(model.toString(), images.toString(),
                        tmp.resolve("p.csv").toString(), yes, hadoop)).getMessage());
        Settings none = Settings.parse(null, List.of(), ConfigKey.PREDICTION);
        assertEquals("input not found: " + images, assertThrows(FfsparkException.class,
                () -> Preflight.prediction(model.toString(), images.toString(), tmp.resolve("p.csv").toString(), none,
                        hadoop)).getMessage());
        assertEquals("model file not found: " + tmp.resolve("none.ffm"), assertThrows(FfsparkException.class,
                () -> Preflight.prediction(tmp.resolve("none.ffm").toString(), images.toString(), "p.csv", none,
                        hadoop)).getMessage());
        Settings readout = Settings.parse(null, List.of("classifier=readout"), ConfigKey.PREDICTION);
        assertEquals("classifier readout needs a model trained with a readout; " + model + " has none (from the "
                + "command line)", assertThrows(FfsparkException.class, () -> Preflight.prediction(model.toString(),
                        images.toString(), "p.csv", readout, hadoop)).getMessage());
    }
}
