package org.ffspark.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.ffspark.FfsparkException;
import org.ffspark.config.ConfigKey;
import org.ffspark.config.Settings;
import org.ffspark.model.FFNetwork;
import org.ffspark.run.TrainingRun;
import org.ffspark.store.ModelFile;
import org.ffspark.train.LocalSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GridRunnerTest {
    @TempDir
    Path tmp;

    private static FFNetwork model(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return ModelFile.read(in, file.toString()).network();
        }
    }

    @Test
    void aBenchmarkClearsOnlyAFolderAGridWrote() throws Exception {
        org.apache.hadoop.conf.Configuration hadoop = new org.apache.hadoop.conf.Configuration();
        Path grid = Files.createDirectories(tmp.resolve("grid/point-01-hidden-24"));
        Files.writeString(grid.getParent().resolve("results.csv"), "x");
        GridRunner.refuseForeign(grid.getParent().toString(), hadoop);
        GridRunner.refuseForeign(tmp.resolve("absent").toString(), hadoop);
        Path mine = Files.createDirectories(tmp.resolve("home/parallelism-1"));
        Files.writeString(mine.resolve("thesis.tex"), "keep");
        assertEquals(mine + " is not a folder a grid wrote (it holds thesis.tex); choose another out",
                assertThrows(FfsparkException.class, () -> GridRunner.refuseForeign(mine.toString(), hadoop))
                        .getMessage());
        assertEquals("keep", Files.readString(mine.resolve("thesis.tex")));
    }

    @Test
    void concurrentPointsEqualSoloRunsAFailingPointIsIsolatedAndARerunResumes() throws Exception {
        Path out = tmp.resolve("grid");
        String data = LocalSpark.mnist().toString();
        List<String> shared = List.of("data=" + data, "epochs=2", "trainLimit=1000", "testLimit=300", "partitions=2");
        Path file = tmp.resolve("grid.properties");
        Files.writeString(file, "grid.parallelism = 2\ngrid.neuronBudget = 26\nout = " + out + "\n"
                + String.join("\n", shared).replace("=", " = ") + "\n"
                + "grid.point.1 = hidden=20\ngrid.point.2 = hidden=40,10\ngrid.point.3 = hidden=30 lr=1e30\n");
        GridSpec spec = GridFile.parse(file.toString(), List.of(), ConfigKey.byName(ConfigKey.TRAINING).keySet());
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        GridRunner runner = new GridRunner(LocalSpark.context(), new PrintStream(console, true, StandardCharsets.UTF_8));

        List<GridPointResult> results = runner.run(spec);
        assertEquals(List.of("done", "done", "failed"), results.stream().map(GridPointResult::status).toList());
        assertTrue(results.get(2).error().startsWith("training diverged"), results.get(2).error());
        assertEquals(20, results.get(0).neurons());
        assertEquals(50, results.get(1).neurons());

        // Each point equals the same run alone.
        for (int i = 0; i < 2; i++) {
            Path solo = tmp.resolve("solo-" + i);
            List<String> arguments = new java.util.ArrayList<>(shared);
            arguments.add("hidden=" + spec.points().get(i).get("hidden"));
            arguments.add("out=" + solo);
            new TrainingRun(LocalSpark.context(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                    .run(Settings.parse(null, arguments, ConfigKey.TRAINING));
            assertEquals(model(solo.resolve("model.ffm")),
                    model(out.resolve(results.get(i).folder()).resolve("model.ffm")), "point " + (i + 1));
        }

        String csv = Files.readString(out.resolve(GridReport.CSV));
        assertEquals(4, csv.strip().split("\n").length);
        assertTrue(csv.contains(",true,done,"), csv);
        String markdown = Files.readString(out.resolve(GridReport.MARKDOWN));
        assertTrue(markdown.contains("Best within the budget of fewer than 26 neurons: point 1 (hidden=[20], 20 neurons)"), markdown);
        byte[] png = Files.readAllBytes(out.resolve(GridReport.PLOT));
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);

        // A rerun does not train finished points again and retries the failed one.
        long modified = Files.getLastModifiedTime(out.resolve(results.get(0).folder()).resolve("model.ffm")).toMillis();
        List<GridPointResult> again = runner.run(spec);
        assertEquals(List.of("reused", "reused", "failed"), again.stream().map(GridPointResult::status).toList());
        assertEquals(results.get(1).testAccuracy(), again.get(1).testAccuracy(), 0);
        assertEquals(modified, Files.getLastModifiedTime(out.resolve(results.get(0).folder()).resolve("model.ffm")).toMillis());
        assertTrue(console.toString(StandardCharsets.UTF_8).contains("grid 2/3 hidden=[40,10]: epoch 2/2"));

        // Finished points are reused only under the settings they were trained with.
        var hadoop = LocalSpark.context().hadoopConfiguration();
        GridRunner.checkEarlierResults(spec, hadoop);
        var keys = ConfigKey.byName(ConfigKey.TRAINING).keySet();
        FfsparkException changed = assertThrows(FfsparkException.class, () -> GridRunner.checkEarlierResults(
                GridFile.parse(file.toString(), List.of("epochs=3"), keys), hadoop));
        assertTrue(changed.getMessage().startsWith("grid point 1 in " + out.resolve(results.get(0).folder())
                + " was finished with epochs=2, the grid now gives it epochs=3; choose another out, or set "
                + "overwrite=true"), changed.getMessage());
        GridRunner.checkEarlierResults(GridFile.parse(file.toString(), List.of("epochs=3", "overwrite=true"), keys),
                hadoop);
    }

    @Test
    void cancellingOnePointsJobGroupFailsThatPointAlone() throws Exception {
        Path out = tmp.resolve("cancel");
        Path file = tmp.resolve("cancel.properties");
        Files.writeString(file, "grid.parallelism = 2\nout = " + out + "\ndata = " + LocalSpark.mnist()
                + "\ntrainLimit = 1000\ntestLimit = 200\npartitions = 2\n"
                + "grid.point.1 = hidden=10 epochs=2\ngrid.point.2 = hidden=20 epochs=200\n");
        GridSpec spec = GridFile.parse(file.toString(), List.of(), ConfigKey.byName(ConfigKey.TRAINING).keySet());
        var sc = LocalSpark.context();
        GridRunner runner = new GridRunner(sc, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        java.util.concurrent.CompletableFuture<List<GridPointResult>> running = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> runner.run(spec));
        long deadline = System.nanoTime() + 120_000_000_000L;
        // Cancel once the long point has trained a while.
        while (System.nanoTime() < deadline && !Files.exists(out.resolve(GridRunner.folderName(2,
                spec.points().get(1))).resolve("metrics.jsonl"))) {
            Thread.sleep(100);
        }
        runner.cancel(2);
        List<GridPointResult> results = running.get(5, java.util.concurrent.TimeUnit.MINUTES);
        assertEquals("done", results.get(0).status());
        assertEquals("failed", results.get(1).status());
        assertTrue(results.get(1).error().contains("cancel"), results.get(1).error());
    }
}
