package org.ffspark.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ffspark.FfsparkException;
import org.ffspark.config.ConfigKey;
import org.ffspark.config.Settings;
import org.ffspark.model.FFNetwork;
import org.ffspark.report.RunSummary;
import org.ffspark.store.ModelFile;
import org.ffspark.train.LocalSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumeTest {
    @TempDir
    Path tmp;

    private static RunSummary train(Path out, String... extra) {
        List<String> arguments = new ArrayList<>(List.of("data=" + LocalSpark.mnist(), "out=" + out, "hidden=40,20",
                "trainLimit=1500", "testLimit=300", "partitions=2"));
        arguments.addAll(Arrays.asList(extra));
        return new TrainingRun(LocalSpark.context(), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8)).run(Settings.parse(null, arguments, ConfigKey.TRAINING));
    }

    private static FFNetwork model(Path out) throws Exception {
        try (InputStream in = Files.newInputStream(out.resolve("model.ffm"))) {
            return ModelFile.read(in, "model.ffm").network();
        }
    }

    @Test
    void resumedRunEndsWithTheUninterruptedRunsModel() throws Exception {
        RunSummary whole = train(tmp.resolve("whole"), "epochs=4");
        Path out = tmp.resolve("interrupted");
        train(out, "epochs=2");
        assertTrue(Files.exists(out.resolve("checkpoints/epoch-0002.ffc")));
        RunSummary resumed = train(out, "epochs=4", "resume=true");

        assertEquals(model(tmp.resolve("whole")), model(out));
        assertEquals(whole.testAccuracy(), resumed.testAccuracy());
        assertEquals(4, Files.readAllLines(out.resolve("metrics.jsonl")).size());
        try (var files = Files.list(out.resolve("checkpoints"))) {
            assertEquals(List.of("epoch-0003.ffc", "epoch-0004.ffc"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "the newest two are kept");
        }
    }

    @Test
    void resumeWithLocalRoundsEndsWithTheUninterruptedRunsModel() throws Exception {
        // 1500 / 64 = 24 steps an epoch: rounds of 10, 10 and 4, so an epoch ends inside a round's span
        train(tmp.resolve("whole"), "epochs=3", "sync=every:10");
        Path out = tmp.resolve("interrupted");
        train(out, "epochs=1", "sync=every:10");
        train(out, "epochs=3", "sync=every:10", "resume=true");
        assertEquals(model(tmp.resolve("whole")), model(out));
        FfsparkException other = assertThrows(FfsparkException.class,
                () -> train(out, "epochs=4", "sync=every:5", "resume=true"));
        assertTrue(other.getMessage().contains("it was written with sync=every:10, this run has every:5"),
                other.getMessage());
    }

    @Test
    void resumeWithLocalStepsAndTheOuterMomentumEndsWithTheUninterruptedRunsModel() throws Exception {
        // 750 images a partition: 12 local steps of 64 an epoch, rounds of 5, 5 and 2; the outer
        // momentum carried from epoch to epoch lives in the checkpoint.
        String[] local = {"sync=local:5", "outerOptimizer=nesterov", "outerLr=0.7", "outerMomentum=0.9"};
        train(tmp.resolve("whole"), concat(local, "epochs=3"));
        Path out = tmp.resolve("interrupted");
        train(out, concat(local, "epochs=2"));
        train(out, concat(local, "epochs=3", "resume=true"));
        assertEquals(model(tmp.resolve("whole")), model(out));
        train(tmp.resolve("averaged"), "sync=local:5", "outerOptimizer=average", "epochs=3");
        assertNotEquals(model(tmp.resolve("averaged")), model(out), "the outer step changes what is learned");
    }

    private static String[] concat(String[] first, String... more) {
        List<String> all = new ArrayList<>(Arrays.asList(first));
        all.addAll(Arrays.asList(more));
        return all.toArray(new String[0]);
    }

    @Test
    void decayingLearningRateAppliesInBothSyncModesAndResumesOnSchedule() throws Exception {
        for (String sync : List.of("every:1", "every:10")) {
            Path constant = tmp.resolve("constant-" + sync.replace(':', '-'));
            Path decaying = tmp.resolve("decaying-" + sync.replace(':', '-'));
            train(constant, "epochs=3", "sync=" + sync);
            train(decaying, "epochs=3", "sync=" + sync, "lrDecay=linear:1");
            List<String> constantEpochs = Files.readAllLines(constant.resolve("metrics.jsonl"));
            List<String> decayingEpochs = Files.readAllLines(decaying.resolve("metrics.jsonl"));
            assertEquals(accuracy(constantEpochs.get(0)), accuracy(decayingEpochs.get(0)), "epoch 1 at the full rate");
            assertNotEquals(model(constant), model(decaying), sync + ": the decay changed the trajectory");

            // Resumed from epoch 2's checkpoint, epoch 3 runs at the same decayed rate as it did straight through.
            FFNetwork straight = model(decaying);
            Files.delete(decaying.resolve("checkpoints/epoch-0003.ffc"));
            train(decaying, "epochs=3", "sync=" + sync, "lrDecay=linear:1", "resume=true");
            assertEquals(straight, model(decaying), sync);
        }
        FfsparkException other = assertThrows(FfsparkException.class,
                () -> train(tmp.resolve("decaying-every-1"), "epochs=3", "resume=true"));
        assertTrue(other.getMessage().contains("it was written with lrDecay=linear:1, this run has none"),
                other.getMessage());
    }

    private static String accuracy(String metricsLine) {
        return metricsLine.replaceAll(".*\"testAccuracy\":([0-9.eE-]+).*", "$1");
    }

    @Test
    void localRoundsDivergingStopWithTheSameMessage() {
        FfsparkException diverged = assertThrows(FfsparkException.class,
                () -> train(tmp.resolve("rounds"), "epochs=2", "lr=1e30", "sync=every:4"));
        assertTrue(diverged.getMessage().startsWith("training diverged: "), diverged.getMessage());
    }

    @Test
    void damagedNewestCheckpointFallsBackToThePreviousOne() throws Exception {
        Path out = tmp.resolve("run");
        train(out, "epochs=3");
        FFNetwork uninterrupted = model(out);
        Path newest = out.resolve("checkpoints/epoch-0003.ffc");
        byte[] bytes = Files.readAllBytes(newest);
        Files.write(newest, Arrays.copyOf(bytes, bytes.length / 2));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        List<String> arguments = new ArrayList<>(List.of("data=" + LocalSpark.mnist(), "out=" + out, "hidden=40,20",
                "trainLimit=1500", "testLimit=300", "partitions=2", "epochs=3", "resume=true"));
        new TrainingRun(LocalSpark.context(), new PrintStream(console, true, StandardCharsets.UTF_8))
                .run(Settings.parse(null, arguments, ConfigKey.TRAINING));
        String printed = console.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("skipping damaged checkpoint: " + newest), printed);
        assertTrue(printed.contains("resuming from " + out.resolve("checkpoints/epoch-0002.ffc")
                + " (2 of 3 epochs done)"), printed);
        assertEquals(1, printed.lines().filter(l -> l.startsWith("epoch ")).count(), "epoch 3 trained again: "
                + printed);
        assertEquals(uninterrupted, model(out), "and to the same network, bit for bit");
    }

    @Test
    void resumeWithOtherSettingsIsRefusedAndAnExistingRunIsNotOverwritten() throws Exception {
        Path out = tmp.resolve("run");
        train(out, "epochs=1");
        FfsparkException changed = assertThrows(FfsparkException.class, () -> train(out, "epochs=2", "resume=true",
                "lr=0.01"));
        assertTrue(changed.getMessage().startsWith("cannot resume from " + out.resolve("checkpoints/epoch-0001.ffc")
                + ": it was written with lr=0.03, this run has 0.01"), changed.getMessage());
        FfsparkException exists = assertThrows(FfsparkException.class, () -> train(out, "epochs=2"));
        assertTrue(exists.getMessage().contains("set resume=true to continue it"), exists.getMessage());
    }

    @Test
    void divergingRunStopsNamingLayerEpochStepAndLastCheckpoint() {
        Path out = tmp.resolve("run");
        FfsparkException diverged = assertThrows(FfsparkException.class, () -> train(out, "epochs=3", "lr=1e30"));
        assertTrue(diverged.getMessage().matches("training diverged: .* of layer \\d is not finite at epoch \\d+ step \\d+ "
                + "\\(try a lower lr\\); (no checkpoint was written|last good checkpoint: .*)"), diverged.getMessage());
    }
}
