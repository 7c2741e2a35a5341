package org.ffspark.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ffspark.config.ConfigKey;
import org.ffspark.config.Settings;
import org.ffspark.model.RecurrentFFNetwork;
import org.ffspark.report.RunSummary;
import org.ffspark.store.ModelFile;
import org.ffspark.train.LocalSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** model=recurrent through the whole job in local[2], as the command line runs it. */
class RecurrentEndToEndTest {
    @TempDir
    Path tmp;

    @Test
    void learnsWellAboveChanceWithHardNegativesAndRecordsItsSettling() throws Exception {
        Path out = tmp.resolve("run");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Settings settings = Settings.parse(null, List.of("data=" + LocalSpark.mnist(), "out=" + out, "model=recurrent",
                "negatives=hard", "hidden=100,60", "iterations=6", "scoreIterations=2-4", "epochs=3",
                "trainLimit=5000", "testLimit=1000", "partitions=2"), ConfigKey.TRAINING);
        RunSummary summary = new TrainingRun(LocalSpark.context(),
                new PrintStream(console, true, StandardCharsets.UTF_8)).run(settings);

        double accuracy = summary.testAccuracy();
        assertTrue(accuracy >= 0.5, "test accuracy " + accuracy + " (chance: 0.1)");
        String printed = console.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("model recurrent (6 iterations, damping 0.3, scored on iterations 2-4)"), printed);

        ObjectMapper json = new ObjectMapper();
        List<String> metrics = Files.readAllLines(out.resolve("metrics.jsonl"));
        JsonNode last = json.readTree(metrics.get(2));
        JsonNode positive = last.get("positiveGoodnessByIteration");
        JsonNode negative = last.get("negativeGoodnessByIteration");
        assertEquals(2, positive.size(), "one row per layer");
        assertEquals(6, positive.get(0).size(), "one value per iteration");
        for (int l = 0; l < 2; l++) {
            double meanOverIterations = 0;
            for (int t = 0; t < 6; t++) {
                meanOverIterations += positive.get(l).get(t).asDouble() / 6;
            }
            assertEquals(last.get("positiveGoodness").get(l).asDouble(), meanOverIterations, 1e-9,
                    "the per-layer figure is the mean over iterations");
            assertTrue(positive.get(l).get(5).asDouble() > negative.get(l).get(5).asDouble(),
                    "the true label settles to a higher goodness than a wrong one, layer " + l);
        }
        assertTrue(Files.size(out.resolve("report/settling.png")) > 1000);

        try (InputStream in = Files.newInputStream(out.resolve("model.ffm"))) {
            RecurrentFFNetwork saved = assertInstanceOf(RecurrentFFNetwork.class, ModelFile.read(in, "model.ffm").network());
            assertEquals(new RecurrentFFNetwork.Dynamics(6, 0.3f, 2, 4), saved.dynamics());
        }
        ModelEvaluation.Result evaluation = new ModelEvaluation(LocalSpark.context()).evaluate(out.resolve("model.ffm").toString(), LocalSpark.mnist().toString(),
                Settings.parse(null, List.of("limit=1000"), ConfigKey.EVALUATION));
        assertEquals(accuracy, evaluation.accuracy(), 0, "the saved model evaluates the same");
    }
}
