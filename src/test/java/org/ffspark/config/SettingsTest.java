package org.ffspark.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ffspark.FfsparkException;
import org.ffspark.model.GoodnessRule;
import org.ffspark.model.NegativeRule;
import org.ffspark.optim.OuterSettings;
import org.ffspark.train.Sync;
import org.ffspark.train.TrainingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsTest {
    @TempDir
    Path tmp;

    private static TrainingConfig config(String... arguments) {
        return TrainingConfigReader.from(Settings.parse(null, List.of(arguments), ConfigKey.TRAINING));
    }

    private static String refusal(String... arguments) {
        return assertThrows(FfsparkException.class, () -> config(arguments)).getMessage();
    }

    @Test
    void defaultsAreThePaperRuleOnTheNotebookSettings() {
        TrainingConfig c = config();
        assertEquals(List.of(500, 500), c.hidden());
        assertEquals(60, c.epochs());
        assertEquals(64, c.batchSize());
        assertEquals(0.03, c.optimizer().learningRate());
        assertEquals(GoodnessRule.PAPER, c.goodness());
        assertEquals(42, c.seed());
        assertEquals(Path.of("data/mnist").toAbsolutePath().toString(), c.data().directory());
        assertNull(c.data().files());
    }

    @Test
    void commandLineOverridesTheFileWhichOverridesDefaults() throws Exception {
        Path file = tmp.resolve("run.properties");
        Files.writeString(file, "# a comment\nhidden = 24\nepochs = 30\nthreshold = width\n");
        TrainingConfig c = TrainingConfigReader.from(Settings.parse(file.toString(), List.of("epochs=3"),
                ConfigKey.TRAINING));
        assertEquals(List.of(24), c.hidden());
        assertEquals(3, c.epochs());
        assertEquals(GoodnessRule.NOTEBOOK, c.goodness());
    }

    @Test
    void aRelativePathIsTakenFromTheFolderItIsWrittenIn() throws Exception {
        Path working = Path.of("").toAbsolutePath();
        Settings byDefault = Settings.parse(null, List.of(), ConfigKey.TRAINING);
        Settings typed = Settings.parse(null, List.of("data=data/mnist", "out=relrun"), ConfigKey.TRAINING);
        assertEquals(working.resolve("data/mnist").toString(), byDefault.text("data"));
        assertEquals(byDefault.text("data"), typed.text("data"), "the documented default, typed, is the default");
        assertEquals(working.resolve("relrun").toString(), typed.text("out"));
        Path file = Files.createDirectories(tmp.resolve("conf")).resolve("run.properties");
        Files.writeString(file, "data = ../data/mnist\nout = runs/a\n");
        Settings fromFile = Settings.parse(file.toString(), List.of(), ConfigKey.TRAINING);
        assertEquals(tmp.resolve("data/mnist").toString(), fromFile.text("data"));
        assertEquals(tmp.resolve("conf/runs/a").toString(), fromFile.text("out"));
        assertEquals("hdfs:///datasets/mnist", Settings.parse(null, List.of("data=hdfs:///datasets/mnist"),
                ConfigKey.TRAINING).text("data"), "a URI is left as it is");
    }

    @Test
    void aKeyThatDoesNothingForTheModelIsRefused() {
        assertEquals("lr is for model=simple and model=recurrent; model=mlp has no such setting (from the command "
                + "line)", refusal("model=mlp", "lr=0.01"));
        assertEquals("iterations is for model=recurrent; model=simple has no such setting (from the command line)",
                refusal("iterations=4"));
        assertEquals("peerNorm is for model=simple; model=recurrent has no such setting (from the command line)",
                refusal("model=recurrent", "peerNorm=0.03"));
        assertEquals("readoutLr is the rate of readout=local, trained alongside; readout=none has none (from the "
                + "command line)", refusal("readoutLr=0.1"));
        assertEquals("readoutWeightDecay is for readout=local or readout=logistic; readout=none has no readout "
                + "(from the command line)", refusal("readoutWeightDecay=0.1"));
        TrainingConfigReader.from(Settings.parse(null, List.of("model=mlp", "hidden=20", "epochs=5", "seed=3"),
                ConfigKey.TRAINING));
        TrainingConfigReader.from(Settings.parse(null, List.of("readout=local", "readoutLr=0.1"), ConfigKey.TRAINING));
    }

    @Test
    void anOptimizerKeyForTheOtherOptimizerIsRefused() {
        assertEquals("momentum is for optimizer=sgd; with optimizer=adam it does nothing (from the command line)",
                refusal("momentum=0.5"));
        assertEquals("beta2 is for optimizer=adam; with optimizer=sgd it does nothing (from the command line)",
                refusal("optimizer=sgd", "beta2=0.99"));
        assertEquals("lrBaseBatch is for lrScaling=sqrt or linear; with lrScaling=none it does nothing (from the "
                + "command line)", refusal("lrBaseBatch=128"));
    }

    @Test
    void credentialsInAUriAreRefusedWithoutBeingShown() {
        String message = refusal("out=s3a://AKIAEXAMPLE:s3cr3t@bucket/runs/a");
        assertEquals("out s3a://bucket/runs/a is given with credentials in it, which are refused: they would be "
                + "copied into the run's files and logs; give them to Hadoop instead (the environment, or a "
                + "credential store: conf/s3a.properties, docs/deployment.md)", message);
        assertThrows(FfsparkException.class, () -> Settings.ofParams(Map.of("data", "hdfs://me@nn:8020/mnist"),
                Map.of("data", "dataPath")));
        Settings.refuseCredentials("data", "hdfs://nn:8020/mnist/a@b"); // an @ in the path is no credential
    }

    @Test
    void unknownKeyIsRefusedWithASuggestion() {
        assertTrue(refusal("hiden=5").startsWith("unknown config key 'hiden' in the command line; did you mean 'hidden'?"));
    }

    @Test
    void unknownKeyInAFileNamesTheFile() throws Exception {
        Path file = tmp.resolve("bad.properties");
        Files.writeString(file, "colour = blue\n");
        String message = assertThrows(FfsparkException.class,
                () -> Settings.parse(file.toString(), List.of(), ConfigKey.TRAINING)).getMessage();
        assertTrue(message.startsWith("unknown config key 'colour' in " + file), message);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "hidden=0|hidden must be comma-separated layer widths from 1 to 65536 (e.g. 500,500), got '0' (from the command line)",
        "hidden=500,-3|hidden must be comma-separated layer widths from 1 to 65536 (e.g. 500,500), got '500,-3' (from the command line)",
        "hidden=|hidden needs a value (from the command line)",
        "hidden=50000,50000|hidden gives layer 2 2500050000 weights, more than a Java array holds (2147483639): use narrower layers (from the command line)",
        "hidden=65536,65536|hidden gives layer 2 4295032832 weights, more than a Java array holds (2147483639): use narrower layers (from the command line)",
        "epochs=0|epochs must be a whole number from 1 to 100000, got 0 (from the command line)",
        "batchSize=-5|batchSize must be a whole number from 1 to 1048576, got -5 (from the command line)",
        "lr=0|lr must be a number > 0.0, got '0' (from the command line)",
        "lr=fast|lr must be a number > 0.0, got 'fast' (from the command line)",
        "beta2=1|beta2 must be a number >= 0.0 and < 1.0, got '1' (from the command line)",
        "goodness=max|goodness must be one of mean, sum, got 'max' (from the command line)",
        "model=deep|model must be one of simple, recurrent, mlp, got 'deep' (from the command line)",
        "threshold=-1|threshold must be a number >= 0.0, got '-1' (from the command line)",
        "overwrite=yes|overwrite must be true or false, got 'yes' (from the command line)",
        "trainLimit=-1|trainLimit must be a whole number from 0 to 2147483647, got -1 (from the command line)",
        "sync=every:0|sync must be every:K or local:K with K from 1 to 1048576 (e.g. every:1 or local:50), epoch, or local, got 'every:0' (from the command line)",
        "sync=often|sync must be every:K or local:K with K from 1 to 1048576 (e.g. every:1 or local:50), epoch, or local, got 'often' (from the command line)",
        "lrScaling=cube|lrScaling must be one of none, sqrt, linear, got 'cube' (from the command line)",
        "lrBaseBatch=0|lrBaseBatch must be a whole number from 1 to 1048576, got 0 (from the command line)",
        "lrDecay=cosine|lrDecay must be none, linear (falling over the second half) or linear:N with N full-rate epochs from 0 to epochs-1 = 59, got 'cosine' (from the command line)",
        "lrDecay=linear:60|lrDecay must be none, linear (falling over the second half) or linear:N with N full-rate epochs from 0 to epochs-1 = 59, got 'linear:60' (from the command line)",
        "negatives=easy|negatives must be random, hard, hard:L with L from 1 to 2 (the first L layers score the labels), or readout, got 'easy' (from the command line)",
        "negatives=hard:3|negatives must be random, hard, hard:L with L from 1 to 2 (the first L layers score the labels), or readout, got 'hard:3' (from the command line)",
        "negatives=hard:0|negatives must be random, hard, hard:L with L from 1 to 2 (the first L layers score the labels), or readout, got 'hard:0' (from the command line)",
        "model=recurrent iterations=0|iterations must be a whole number from 1 to 1000, got 0 (from the command line)",
        "model=recurrent damping=1|damping must be a number >= 0.0 and < 1.0, got '1' (from the command line)",
        "model=recurrent scoreIterations=3|scoreIterations expected FIRST-LAST (1-based iterations), got '3' (from the command line)",
        "model=recurrent scoreIterations=6-9|scoreIterations window 6-9 must lie within iterations 1-8 (from the command line)",
        "data.trainImages=x|data.trainLabels needs a value: data.trainImages, data.trainLabels, data.testImages and data.testLabels go together (from default)"})
    void badValueIsRefusedNamingTheKey(String arguments, String message) {
        assertEquals(message.replace(" (from default)", ""), refusal(arguments.split(" ")));
    }

    @Test
    void argumentWithoutEqualsSignIsRefused() {
        assertEquals("expected key=value, got 'epochs'", refusal("epochs"));
    }

    @Test
    void missingConfigFileIsNamed() {
        assertEquals("config file not found: nope.properties", assertThrows(FfsparkException.class,
                () -> Settings.parse("nope.properties", List.of(), ConfigKey.TRAINING)).getMessage());
    }

    @Test
    void learningRateFollowsTheBatchSizeWhenScaled() {
        assertEquals(0.03, config("batchSize=256").optimizer().learningRate(), 1e-12);
        assertEquals(0.06, config("batchSize=256", "lrScaling=sqrt").optimizer().learningRate(), 1e-12);
        assertEquals(0.12, config("batchSize=256", "lrScaling=linear").optimizer().learningRate(), 1e-12);
        assertEquals(0.015, config("batchSize=64", "lrScaling=linear", "lrBaseBatch=128").optimizer().learningRate(), 1e-12);
    }

    @Test
    void syncNamesTheExactRuleRoundsOrLocalStepsWithTheirOuterRule() {
        assertTrue(config().sync().exact());
        assertEquals(32, config("sync=every:32").sync().steps());
        assertEquals(313, config("sync=epoch").sync().stepsPerRound(313));
        assertEquals(313, config("sync=every:1000").sync().stepsPerRound(313));
        assertEquals("epoch", config("sync=epoch").sync().text());
        Sync local = config("sync=local:50", "outerOptimizer=nesterov", "outerLr=0.5", "innerState=reset").sync();
        assertEquals(Sync.Mode.LOCAL, local.mode());
        assertEquals(50, local.steps());
        assertEquals(new OuterSettings(OuterSettings.Kind.NESTEROV, 0.5, 0.9), local.outer());
        assertTrue(local.resetInner());
        assertEquals("local:50", local.text());
        assertEquals(Sync.PER_EPOCH, config("sync=local").sync().steps());
        // Local steps' defaults are the settings measured best: a Nesterov step of 0.7 with momentum 0.9,
        // a fresh inner optimizer each round, one warm-up epoch as one copy, changes in bfloat16.
        Sync defaults = config("sync=local").sync();
        assertEquals(new OuterSettings(OuterSettings.Kind.NESTEROV, 0.7, 0.9), defaults.outer());
        assertTrue(defaults.resetInner());
        assertEquals(1, defaults.warmup());
        assertTrue(defaults.halfDeltas());
        assertEquals(OuterSettings.AVERAGE, config("sync=local", "outerOptimizer=average").sync().outer());
        Sync rounds = config("sync=every:8").sync();
        assertEquals(OuterSettings.AVERAGE, rounds.outer());
        assertEquals(0, rounds.warmup());
        assertEquals("local", config("sync=local").sync().text());
    }

    @Test
    void outerKeysThatWouldDoNothingAreRefusedByName() {
        for (String[] bad : new String[][] {{"sync=epoch", "outerOptimizer=nesterov"}, {"outerLr=0.5"},
            {"sync=every:8", "innerState=reset"}, {"sync=epoch", "localWarmup=0"},
            {"sync=local", "outerOptimizer=average", "outerMomentum=0.5"}, {"sync=local:0"},
            {"sync=locally"}}) {
            FfsparkException e = assertThrows(FfsparkException.class, () -> config(bad));
            String key = bad[bad.length - 1].split("=")[0];
            assertTrue(e.getMessage().startsWith(key + " "), e.getMessage());
        }
    }

    @Test
    void hardNegativesAreScoredByAllLayersOrByTheFirstL() {
        assertEquals(NegativeRule.RANDOM, config().rule().negatives());
        assertEquals(NegativeRule.HARD, config("hidden=20,20,20", "negatives=hard").rule().negatives());
        assertEquals(NegativeRule.firstLayers(1), config("hidden=20,20,20", "negatives=hard:1").rule().negatives());
        assertTrue(config("negatives=hard:2").hardNegatives());
        assertTrue(config("model=recurrent", "negatives=hard").hardNegatives());
        assertEquals("negatives hard:L is for model=simple; the recurrent model scores the labels over its iterations "
                + "with all its layers: use hard, got 'hard:1' (from the command line)",
                refusal("model=recurrent", "negatives=hard:1"));
    }

    @Test
    void learningRateDecaysLinearlyAfterTheFullRateEpochs() {
        TrainingConfig constant = config("epochs=60");
        assertEquals(0.03, constant.learningRateAt(60), 1e-12);
        TrainingConfig half = config("epochs=60", "lrDecay=linear");
        assertEquals(30, half.lrSchedule().fullRateEpochs());
        assertEquals(0.03, half.learningRateAt(30), 1e-12);
        assertEquals(0.03 * 30 / 31, half.learningRateAt(31), 1e-12);
        assertEquals(0.03 / 31, half.learningRateAt(60), 1e-12);
        assertEquals(0.03 / 31, half.optimizersAt(org.ffspark.model.SimpleFFNetwork.initialize(4, 10, new int[] {3}, GoodnessRule.PAPER, 1), 60)[0].learningRate(), 1e-12);
        TrainingConfig fromStart = config("epochs=4", "lrDecay=linear:0", "batchSize=256", "lrScaling=linear");
        assertEquals(0.12 * 4 / 5, fromStart.learningRateAt(1), 1e-12);
        assertEquals(0.12 / 5, fromStart.learningRateAt(4), 1e-12);
        assertEquals("linear:0", fromStart.lrSchedule().text());
    }

    @Test
    void shippedConfigFilesAreValid() {
        Path conf = Path.of(System.getProperty("ffspark.projectDir", "."), "conf");
        TrainingConfig simple = TrainingConfigReader.from(Settings.parse(
                conf.resolve("mnist-simple.properties").toString(), List.of(), ConfigKey.TRAINING));
        assertEquals(GoodnessRule.PAPER, simple.goodness());
        assertEquals(20000, simple.data().trainLimit());
        TrainingConfig notebook = TrainingConfigReader.from(Settings.parse(
                conf.resolve("mnist-notebook.properties").toString(), List.of(), ConfigKey.TRAINING));
        assertEquals(GoodnessRule.NOTEBOOK, notebook.goodness());
        assertEquals(List.of(500, 500), notebook.hidden());
        TrainingConfig recurrent = TrainingConfigReader.from(Settings.parse(
                conf.resolve("mnist-recurrent.properties").toString(), List.of(), ConfigKey.TRAINING));
        assertEquals("recurrent", recurrent.model());
        assertTrue(recurrent.hardNegatives());
        assertEquals(30, recurrent.lrSchedule().fullRateEpochs());
        try (var files = Files.list(conf)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches("mnist-.*\\.properties")).toList()) {
                TrainingConfigReader.from(Settings.parse(file.toString(), List.of(), ConfigKey.TRAINING));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
