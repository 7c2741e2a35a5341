package org.ffspark.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
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
        Path relative = tmp.relativize(tmp.resolve("nowhere"));
        String message = trainRefusal("data=" + tmp.resolve("nowhere"));
        assertEquals("data directory not found: " + tmp.resolve("nowhere"), message);
        assertEquals("nowhere", relative.toString());
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
