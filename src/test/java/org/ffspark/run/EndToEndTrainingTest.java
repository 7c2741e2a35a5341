package org.ffspark.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.ffspark.FfsparkException;
import org.ffspark.config.ConfigKey;
import org.ffspark.config.Settings;
import org.ffspark.report.RunSummary;
import org.ffspark.store.ModelFile;
import org.ffspark.train.LocalSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole job in local[2] on the committed MNIST, as the command line runs it. */
class EndToEndTrainingTest {
    @TempDir
    Path tmp;

    /**
     * bfloat16 forward products (the layers', the first layer's pixel products, the readout's neutral
     * pass) learn as float32 does, and two runs give the same model, bit for bit.
     */
    @Test
    void bfloat16ProductsLearnAndRepeatBitForBit() throws Exception {
        // conf/mnist-fast.properties's rule, a smaller network, and a readout: its neutral pass runs too.
        List<String> keys = List.of("data=" + LocalSpark.mnist(), "hidden=200,200", "epochs=2",
                "trainLimit=20000", "testLimit=1000", "partitions=1", "threads=2", "sync=epoch", "batchSize=128",
                "lr=0.06", "negatives=hard:1", "readout=local", "products=bfloat16");
        double[] accuracy = new double[3];
        float[][][] models = new float[3][][];
        for (int run = 0; run < 3; run++) {
            Path out = tmp.resolve("bf16-" + run);
            List<String> settings = new java.util.ArrayList<>(keys);
            settings.add("out=" + out);
            if (run == 2) {
                settings.set(settings.size() - 2, "products=float32");
            }
            ByteArrayOutputStream console = new ByteArrayOutputStream();
            accuracy[run] = new TrainingRun(LocalSpark.context(), new PrintStream(console, true, StandardCharsets.UTF_8))
                    .run(Settings.parse(null, settings, ConfigKey.TRAINING)).testAccuracy();
            org.ffspark.model.FFNetwork net = ModelFile.fromBytes(Files.readAllBytes(out.resolve("model.ffm")),
                    "model.ffm").network();
            models[run] = new float[net.blocks()][];
            for (int b = 0; b < net.blocks(); b++) {
                models[run][b] = net.parameters(b);
            }
            if (run == 0) {
                String printed = console.toString(StandardCharsets.UTF_8);
                assertTrue(printed.contains("forward products bfloat16 (oneDNN 3."), printed);
            }
        }
        assertTrue(java.util.Arrays.deepEquals(models[0], models[1]), "the same settings, the same model");
        assertTrue(!java.util.Arrays.deepEquals(models[0], models[2]), "float32 products train another model");
        assertTrue(accuracy[0] >= 0.8, "bfloat16: " + accuracy[0]);
        assertEquals(accuracy[2], accuracy[0], 0.03, "as float32");
    }

    @Test
    void trainsToAbove85PercentWritesItsOutputsAndTheModelEvaluatesTheSame() throws Exception {
        Path out = tmp.resolve("run");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Settings settings = Settings.parse(null, List.of("data=" + LocalSpark.mnist(), "out=" + out,
                "hidden=100", "epochs=5", "trainLimit=10000", "testLimit=2000", "partitions=2"), ConfigKey.TRAINING);
        // Other tests share the context and their cached data may be cleaned meanwhile: look only at the run's own.
        Set<Integer> cachedBefore = Set.copyOf(LocalSpark.context().getPersistentRDDs().keySet());
        RunSummary summary = new TrainingRun(LocalSpark.context(),
                new PrintStream(console, true, StandardCharsets.UTF_8)).run(settings);
        Set<Integer> leftByRun = new HashSet<>(LocalSpark.context().getPersistentRDDs().keySet());
        leftByRun.removeAll(cachedBefore);
        assertEquals(Set.of(), leftByRun, "a finished run leaves none of its data cached in the application");

        double accuracy = summary.testAccuracy();
        assertTrue(accuracy >= 0.85, "test accuracy " + accuracy);

        List<String> metrics = Files.readAllLines(out.resolve("metrics.jsonl"));
        assertEquals(5, metrics.size());
        ObjectMapper json = new ObjectMapper();
        JsonNode last = json.readTree(metrics.get(4));
        assertEquals(5, last.get("epoch").asInt());
        assertEquals(accuracy, last.get("testAccuracy").asDouble(), 0);
        assertEquals(1, last.get("loss").size());
        JsonNode written = json.readTree(out.resolve("summary.json").toFile());
        assertEquals(accuracy, written.get("testAccuracy").asDouble(), 0);
        assertEquals(10, written.get("confusionMatrix").size());
        assertEquals(2000, sum(written.get("confusionMatrix")));
        assertEquals("100", written.get("config").get("hidden").asText());
        assertTrue(written.get("epochSeconds").asDouble() > 0);
        String printed = console.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("epoch 5/5"), printed);
        assertTrue(printed.contains("ETA"), printed);

        try (InputStream in = Files.newInputStream(out.resolve("model.ffm"))) {
            ModelFile.Saved saved = ModelFile.read(in, "model.ffm");
            assertEquals(List.of(100), List.of(saved.network().width(0)));
        }
        ModelEvaluation.Result evaluation = new ModelEvaluation(LocalSpark.context()).evaluate(out.resolve("model.ffm").toString(), LocalSpark.mnist().toString(),
                Settings.parse(null, List.of("limit=2000", "json=" + tmp.resolve("eval.json")), ConfigKey.EVALUATION));
        assertEquals(accuracy, evaluation.accuracy(), 0);
        assertEquals(accuracy, json.readTree(tmp.resolve("eval.json").toFile()).get("accuracy").asDouble(), 0);

        // A second run into the same out is refused and leaves the first run's results as they were.
        byte[] model = Files.readAllBytes(out.resolve("model.ffm"));
        FfsparkException refused = assertThrows(FfsparkException.class, () -> new TrainingRun(LocalSpark.context(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).run(settings));
        assertTrue(refused.getMessage().contains("already holds an earlier run's"), refused.getMessage());
        assertEquals(5, Files.readAllLines(out.resolve("metrics.jsonl")).size());
        assertTrue(java.util.Arrays.equals(model, Files.readAllBytes(out.resolve("model.ffm"))));
        try (var files = Files.list(out)) {
            assertEquals(List.of("_SUCCESS", "checkpoints", "metrics.jsonl", "model.ffm", "report", "summary.json"),
                    files.map(f -> f.getFileName().toString()).sorted().toList(), "no temporary files are left behind");
        }
        try (var files = Files.list(out.resolve("report"))) {
            assertEquals(List.of("accuracy.png", "confusion.png", "goodness-by-label.png", "goodness.png", "index.html",
                    "loss.png", "separation.png", "test-images.png"),
                    files.map(f -> f.getFileName().toString()).sorted().toList(), "the report, without temporary files");
        }
    }

    private static long sum(JsonNode rows) {
        long total = 0;
        for (JsonNode row : rows) {
            for (JsonNode c : row) {
                total += c.asLong();
            }
        }
        return total;
    }
}
