package org.ffspark.run;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.ffspark.FfsparkException;
import org.ffspark.config.Settings;
import org.ffspark.config.TrainingConfigs;
import org.ffspark.data.BlockSource;
import org.ffspark.data.DatasetFingerprint;
import org.ffspark.data.LabeledImages;
import org.ffspark.data.MnistData;
import org.ffspark.data.MnistFiles;
import org.ffspark.eval.ConfusionMatrix;
import org.ffspark.model.Classifier;
import org.ffspark.model.FFNetwork;
import org.ffspark.model.Gemm;
import org.ffspark.model.LaneSums;
import org.ffspark.model.ModelFile;
import org.ffspark.model.RecurrentFFNetwork;
import org.ffspark.model.SimpleFFNetwork;
import org.ffspark.optim.LearningRateSchedule;
import org.ffspark.random.TorchPermutation;
import org.ffspark.report.CheckpointStore;
import org.ffspark.report.ConsoleProgress;
import org.ffspark.report.Json;
import org.ffspark.report.Provenance;
import org.ffspark.report.RunSummary;
import org.ffspark.report.MetricsLog;
import org.ffspark.report.RunOutput;
import org.ffspark.report.RunReport;
import org.ffspark.train.BackpropTwin;
import org.ffspark.train.Checkpoint;
import org.ffspark.train.DistributedTrainer;
import org.ffspark.train.DivergenceGuard;
import org.ffspark.train.EpochMetrics;
import org.ffspark.train.FrameBlocks;
import org.ffspark.train.LogisticReadout;
import org.ffspark.train.TrainingConfig;
import org.ffspark.train.TrainingData;
import org.ffspark.train.TrainingDivergedException;
import org.ffspark.train.TrainingListener;

/**
 * A training run, the service under {@code submit/train.sh}, grids, the bench and the Spark ML
 * estimator's callers: checks and caches the data, trains, and writes metrics, model, summary and
 * report into the run's output directory.
 */
public final class TrainingRun {
    /**
     * Generator outputs spent before each subset is drawn. As in the notebook, one generator seeded
     * with the run seed draws the training permutation first and the test permutation next.
     */
    static final long TRAIN_SUBSET_DRAWS_BEFORE = 0;
    /** Test images shown one by one in the report. */
    static final int REPORT_SAMPLES = 10;

    static long testSubsetDrawsBefore(int trainingImages) {
        return TorchPermutation.drawsFor(trainingImages);
    }

    private final JavaSparkContext sc;
    private final PrintStream console;
    private final List<TrainingListener> extraListeners = new ArrayList<>();

    public TrainingRun(JavaSparkContext sc, PrintStream console) {
        this.sc = sc;
        this.console = console;
    }

    /**
     * The data of a run, checked on the driver and cached as blocks on the executors.
     *
     * @param classes       the classes the labels name
     * @param sha256        SHA-256 of each input file (of a dataset's file listing), for provenance
     * @param reportSamples the first test images, drawn in the report; null for data that is not images
     */
    public record PreparedData(TrainingData blocks, int features, int classes, Map<String, String> sha256,
                               LabeledImages reportSamples) {
    }

    /** Also tells {@code listener} of every finished epoch (after the console, metrics and checkpoints). */
    public TrainingRun addListener(TrainingListener listener) {
        extraListeners.add(listener);
        return this;
    }

    /** Runs a training and returns its summary (as written to summary.json). */
    public RunSummary run(Settings settings) {
        TrainingConfig config = TrainingConfigs.from(settings);
        PreparedData data = prepare(config);
        RunOutput output = new RunOutput(config.run().out(), sc.hadoopConfiguration());
        return train(settings, config, data, output, "", () -> false);
    }

    /**
     * Reads and checks the data a config names (all four files, on the driver, so that any problem
     * is reported before anything is written), then has the executors build and cache their blocks.
     */
    public PreparedData prepare(TrainingConfig config) {
        if (config.data().frame() != null) {
            return prepareFrames(config);
        }
        Configuration hadoop = sc.hadoopConfiguration();
        TrainingConfig.DataSelection selection = config.data();
        List<String> named = selection.files();
        MnistFiles files = named == null
                ? MnistFiles.inDirectory(selection.directory(), hadoop)
                : new MnistFiles(named.get(0), named.get(1), named.get(2), named.get(3));
        files = files.qualified(hadoop);
        MnistData data = MnistData.read(files, hadoop);
        LabeledImages train = subset(data.train(), selection.trainLimit(), "trainLimit", "training",
                files.trainImages(), config.seed(), TRAIN_SUBSET_DRAWS_BEFORE);
        long testDrawsBefore = testSubsetDrawsBefore(data.train().count());
        LabeledImages test = subset(data.test(), selection.testLimit(), "testLimit", "test",
                files.testImages(), config.seed(), testDrawsBefore);
        TrainingData blocks = TrainingData.load(sc,
                new BlockSource(files.trainImages(), files.trainLabels(), selection.trainLimit(), config.seed(),
                        TRAIN_SUBSET_DRAWS_BEFORE, 0, 1), train.count(),
                new BlockSource(files.testImages(), files.testLabels(), selection.testLimit(), config.seed(),
                        testDrawsBefore, 0, 1), test.count(),
                selection.partitions(), selection.trainAccuracyImages());
        return new PreparedData(blocks, train.features(), LabeledImages.CLASSES, data.sha256(),
                test.head(REPORT_SAMPLES));
    }

    /**
     * {@code dataFormat=libsvm} or {@code parquet}: the training and test sets read by Spark, checked row
     * by row ({@link FrameBlocks}) and cached as blocks; the test set as wide as the training set.
     */
    private PreparedData prepareFrames(TrainingConfig config) {
        TrainingConfig.DataSelection selection = config.data();
        TrainingConfig.FrameSource source = selection.frame();
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        Dataset<Row> trainFrame = limited(read(spark, source, selection.directory(), -1), selection.trainLimit(),
                "trainLimit", selection.directory(), config.seed());
        FrameBlocks.Blocks train = FrameBlocks.of(trainFrame, source.featuresCol(), source.labelCol(),
                selection.partitions() > 0 ? selection.partitions() : sc.defaultParallelism());
        Dataset<Row> testFrame = limited(read(spark, source, source.test(), train.features()), selection.testLimit(),
                "testLimit", source.test(), config.seed());
        FrameBlocks.Blocks test = FrameBlocks.of(testFrame, source.featuresCol(), source.labelCol(), 0);
        if (test.features() != train.features()) {
            throw new FfsparkException("testData " + source.test() + " has " + test.features() + " features, the "
                    + "training set " + train.features());
        }
        int classes = Math.max(train.classes(), test.classes());
        int accuracyImages = Math.min(selection.trainAccuracyImages(), train.count());
        TrainingData blocks = new TrainingData(train.blocks(), train.count(),
                FrameBlocks.head(train.blocks(), accuracyImages).cache(), test.blocks(), test.count());
        Map<String, String> sha256 = new LinkedHashMap<>();
        sha256.put("train", DatasetFingerprint.of(selection.directory(), sc.hadoopConfiguration()));
        sha256.put("test", DatasetFingerprint.of(source.test(), sc.hadoopConfiguration()));
        return new PreparedData(blocks, train.features(), classes, sha256, null);
    }

    /** A LIBSVM or Parquet dataset; LIBSVM's test set is read as wide as the training set ({@code width}). */
    private static Dataset<Row> read(SparkSession spark, TrainingConfig.FrameSource source, String path, int width) {
        try {
            return source.format().equals("libsvm")
                    ? (width > 0 ? spark.read().format("libsvm").option("numFeatures", width)
                            : spark.read().format("libsvm")).load(path)
                    : spark.read().parquet(path);
        } catch (Exception e) { // Spark's AnalysisException for a missing path, a checked one thrown undeclared
            throw new FfsparkException("cannot read " + source.format() + " data " + path + ": "
                    + FfsparkException.firstLine(e), e);
        }
    }

    /** The frame's seeded random subset of {@code limit} rows (0: all of it). */
    private static Dataset<Row> limited(Dataset<Row> frame, int limit, String key, String path, long seed) {
        if (limit == 0) {
            return frame;
        }
        long count = frame.count();
        if (limit > count) {
            throw new FfsparkException(key + " " + limit + " is larger than the " + count + " rows of " + path);
        }
        return frame.orderBy(functions.rand(seed)).limit(limit);
    }

    /**
     * Trains on prepared data and writes metrics, model, summary and report to {@code output}.
     *
     * @param label     prefixes console lines and Spark job descriptions (e.g. a grid point), or ""
     * @param cancelled asked before every step; stops the run when it says so
     */
    public RunSummary train(Settings settings, TrainingConfig config, PreparedData data, RunOutput output,
                            String label, BooleanSupplier cancelled) {
        if (config.model().equals("mlp")) {
            return trainTwin(settings, config, data, output, label);
        }
        TrainingData blocks = data.blocks();
        Map<String, String> fingerprint = Fingerprint.of(settings, config, blocks.partitions(), data.sha256());
        TrainingConfig.RunOptions options = config.run();
        CheckpointStore checkpoints = new CheckpointStore(options.out(), sc.hadoopConfiguration(),
                options.checkpointEvery(), fingerprint);
        Checkpoint resumeFrom = options.resume() ? checkpoints.newest(console) : null;
        if (resumeFrom != null) {
            Fingerprint.check(resumeFrom, fingerprint, checkpoints.lastWritten());
            output.prepareDirectory();
            console.printf(Locale.ROOT, "%sresuming from %s (%d of %d epochs done)%n", label,
                    checkpoints.lastWritten(), resumeFrom.epochsDone(), config.epochs());
        } else {
            if (options.resume()) {
                console.println(label + "no checkpoint in " + options.out() + ", starting from epoch 1");
            }
            output.prepare(options.overwrite());
        }
        FFNetwork network = config.initialNetwork(data.features(), data.classes());
        int taskCores = sc.getConf().getInt("spark.task.cpus", 1);
        console.printf(Locale.ROOT, "%sffspark %s | Spark %s %s | %d partitions%s | BLAS %s | sums %s%n", label,
                Versions.ffspark(), sc.version(), sc.master(), blocks.partitions(),
                taskCores > 1 ? " of " + taskCores + " cores" : "", Gemm.library(), LaneSums.implementation());
        console.printf(Locale.ROOT, "%smodel %s%s hidden %s (%d parameters) | goodness %s | %d train / %d test "
                        + "images | batch %d, %s, sync %s, %d epochs | out %s%n", label,
                config.model(), designText(config, network), config.hidden(), network.parameterCount(),
                config.goodness(), blocks.trainCount(), blocks.testCount(), config.batchSize(),
                optimizerText(settings, config), config.syncText(), config.epochs(), options.out());

        // In place on a terminal only, and not for grid points, whose lines interleave.
        boolean interactive = label.isEmpty() && console == System.out && System.console() != null;
        // The guard before the checkpoints, so that the last checkpoint is one from before an explosion.
        List<TrainingListener> listeners = new ArrayList<>(List.of(new ConsoleProgress(console, label, interactive),
                new MetricsLog(output), new DivergenceGuard(network, console, label), checkpoints));
        listeners.addAll(extraListeners);
        DistributedTrainer trainer = new DistributedTrainer(sc, label, cancelled);
        DistributedTrainer.Result result;
        try {
            result = trainer.train(config, network, blocks, listeners, resumeFrom);
        } catch (TrainingDivergedException e) {
            throw new FfsparkException(e.getMessage() + "; " + (checkpoints.lastWritten() == null
                    ? "no checkpoint was written" : "last good checkpoint: " + checkpoints.lastWritten()), e);
        }
        FFNetwork trained = result.network();
        if (config.readout() == TrainingConfig.ReadoutFit.LOGISTIC) {
            console.println(label + "fitting the readout by logistic regression on the training images' activities");
            trained = LogisticReadout.fit(sc, (SimpleFFNetwork) trained, blocks.train(),
                    config.readoutOptimizer().weightDecay(), config.classifier(), label);
        }
        List<RunSummary.ClassifierFigures> classifiers = new ArrayList<>();
        ConfusionMatrix finalTest = finalTest(trainer, trained, result.epochs(), blocks, classifiers, label);
        MetricsLog.write(output, result.epochs());

        Provenance provenance = provenance(settings, data.sha256(), blocks.partitions());
        output.write(RunOutput.MODEL, ModelFile.toBytes(trained, Json.map(provenance)));
        String classifier = trained instanceof SimpleFFNetwork s ? s.design().classifier().text() : "goodness";
        RunSummary summary = RunSummary.of(config, result.epochs(), finalTest, classifiers, classifier,
                trained.parameterCount(), blocks.trainCount(), blocks.testCount(), provenance, RunOutput.MODEL);
        output.write(RunOutput.SUMMARY, Json.document(summary));
        RunReport.write(new RunOutput(output.path(RunReport.FOLDER), sc.hadoopConfiguration()),
                RunReport.figures(result.epochs(), trained, data.reportSamples()), summary, result.epochs());
        // Written last: a run whose folder holds _SUCCESS wrote all its files completely.
        output.write(RunOutput.SUCCESS, new byte[0]);

        EpochMetrics last = result.epochs().get(result.epochs().size() - 1);
        console.printf(Locale.ROOT, "%stest accuracy %.2f%% (best %.2f%%), train accuracy %.2f%%, "
                        + "median epoch %.1fs%n", label, 100 * summary.testAccuracy(), 100 * summary.bestTestAccuracy(),
                100 * last.trainAccuracy(), summary.epochSeconds());
        for (RunSummary.ClassifierFigures c : classifiers) {
            console.printf(Locale.ROOT, "%sclassified by %s: test accuracy %.2f%% in %.1fs%n", label, c.name(),
                    100 * c.testAccuracy(), c.evalSeconds());
        }
        if (label.isEmpty()) {
            console.println("per-class test accuracy: " + classAccuracyText(finalTest));
            console.print(finalTest.format());
        }
        console.println(label + "wrote " + output.path(RunOutput.METRICS) + ", " + output.path(RunOutput.SUMMARY)
                + ", " + output.path(RunOutput.MODEL) + ", " + output.path(RunReport.FOLDER + "/" + RunReport.INDEX));
        return summary;
    }

    /** {@code model=mlp}: the backpropagation twin, with its summary, metrics and MLlib model in {@code output}. */
    private RunSummary trainTwin(Settings settings, TrainingConfig config, PreparedData data, RunOutput output,
                                 String label) {
        output.prepare(config.run().overwrite() || config.run().resume()); // a twin is trained again whole
        TrainingData blocks = data.blocks();
        console.printf(Locale.ROOT, "%sffspark %s | Spark %s %s | %d partitions | BLAS %s%n", label, Versions.ffspark(),
                sc.version(), sc.master(), blocks.partitions(), Gemm.library());
        console.printf(Locale.ROOT, "%smodel mlp (backpropagation, MLlib's MultilayerPerceptronClassifier, L-BFGS) "
                        + "hidden %s | %d train / %d test images | %d iterations | out %s%n", label, config.hidden(),
                blocks.trainCount(), blocks.testCount(), config.epochs(), config.run().out());
        BackpropTwin.Result twin = BackpropTwin.train(sc, config, blocks, data.features(), data.classes());
        StringBuilder metrics = new StringBuilder();
        double[] objective = twin.objective();
        for (int i = 0; i < objective.length; i++) {
            metrics.append(Json.line(Map.of("iteration", i, "loss", objective[i]))).append('\n');
        }
        output.write(RunOutput.METRICS, metrics.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String modelFolder = output.path(MLP_MODEL);
        try {
            twin.model().write().overwrite().save(modelFolder);
        } catch (java.io.IOException e) {
            throw new FfsparkException("cannot write " + modelFolder + ": " + e.getMessage(), e);
        }
        int iterations = Math.max(0, objective.length - 1); // the history starts with the initial loss
        RunSummary summary = RunSummary.ofTwin(config, twin.test(), twin.train().accuracy(), iterations,
                twin.seconds(), twin.parameters(), blocks.trainCount(), blocks.testCount(),
                provenance(settings, data.sha256(), blocks.partitions()), MLP_MODEL);
        output.write(RunOutput.SUMMARY, Json.document(summary));
        output.write(RunOutput.SUCCESS, new byte[0]);
        console.printf(Locale.ROOT, "%stest accuracy %.2f%%, train accuracy %.2f%%, %d iterations in %.1fs%n", label,
                100 * summary.testAccuracy(), 100 * summary.trainAccuracy(), iterations, twin.seconds());
        console.println(label + "wrote " + output.path(RunOutput.METRICS) + ", " + output.path(RunOutput.SUMMARY)
                + ", " + modelFolder);
        return summary;
    }

    /** The MLlib model folder of {@code model=mlp}. */
    static final String MLP_MODEL = "mlp-model";

    /**
     * The trained model's test confusion matrix. With a readout, the test set is scored once by each
     * classifier, timed, into {@code classifiers}; otherwise the last epoch's matrix serves.
     */
    private ConfusionMatrix finalTest(DistributedTrainer trainer, FFNetwork trained, List<EpochMetrics> epochs,
                                      TrainingData blocks, List<RunSummary.ClassifierFigures> classifiers,
                                      String label) {
        if (!(trained instanceof SimpleFFNetwork simple) || !simple.hasReadout()) {
            return epochs.get(epochs.size() - 1).test();
        }
        ConfusionMatrix own = null;
        for (Classifier c : Classifier.values()) {
            sc.setJobDescription(label + "evaluate the test set by " + c.text());
            long started = System.nanoTime();
            ConfusionMatrix matrix = trainer.evaluate(simple.withClassifier(c), blocks.test());
            classifiers.add(new RunSummary.ClassifierFigures(c.text(), matrix.accuracy(),
                    (System.nanoTime() - started) / 1e9));
            if (c == simple.design().classifier()) {
                own = matrix;
            }
        }
        return own;
    }

    private static String designText(TrainingConfig config, FFNetwork network) {
        if (network instanceof RecurrentFFNetwork r) {
            return String.format(Locale.ROOT, " (%d iterations, damping %s, scored on iterations %s)",
                    r.dynamics().iterations(), r.dynamics().damping(), r.dynamics().windowText());
        }
        SimpleFFNetwork simple = (SimpleFFNetwork) network;
        List<String> parts = new ArrayList<>();
        if (simple.norm() != SimpleFFNetwork.Design.NOTEBOOK.norm()) {
            parts.add(simple.norm().text() + " norm");
        }
        if (simple.scoreFrom() > 0) {
            parts.add("scored from layer " + (simple.scoreFrom() + 1));
        }
        if (config.readout() != TrainingConfig.ReadoutFit.NONE) {
            parts.add(config.readout().text() + " readout, classified by " + config.classifier().text());
        }
        if (config.rule().peerNorm() > 0) {
            parts.add("peer norm " + config.rule().peerNorm());
        }
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }

    private static String optimizerText(Settings settings, TrainingConfig config) {
        String given = settings.text("lr");
        String rate = settings.text("lrScaling").equals("none") ? given
                : String.format(Locale.ROOT, "%.4g (%s-scaled from %s at batch %s)", config.optimizer().learningRate(),
                        settings.text("lrScaling"), given, settings.text("lrBaseBatch"));
        int full = config.lrSchedule().fullRateEpochs();
        String schedule = full == LearningRateSchedule.CONSTANT ? ""
                : String.format(Locale.ROOT, ", falling linearly after epoch %d to %.3g", full,
                        config.learningRateAt(config.epochs()));
        String decay = config.optimizer().weightDecay() > 0 ? ", weight decay " + settings.text("weightDecay") : "";
        return config.optimizer().kind().text() + " lr " + rate + schedule + decay + ", negatives "
                + config.rule().negatives().text();
    }

    private static LabeledImages subset(LabeledImages all, int limit, String key, String what, String file,
                                        long seed, long drawsBefore) {
        if (limit > all.count()) {
            throw new FfsparkException(key + " " + limit + " is larger than the " + all.count() + " "
                    + what + " images in " + file);
        }
        if (all.count() == 0) {
            throw new FfsparkException(file + " holds no images");
        }
        return all.randomSubset(limit, seed, drawsBefore);
    }

    private Provenance provenance(Settings settings, Map<String, String> sha256, int partitions) {
        return new Provenance(settings.asMap(), sha256, Versions.ffspark(), sc.version(), sc.master(), partitions,
                Gemm.library(), LaneSums.implementation(), System.getProperty("java.version"));
    }

    public static String classAccuracyText(ConfusionMatrix matrix) {
        List<String> parts = new ArrayList<>();
        double[] accuracy = matrix.classAccuracy();
        for (int c = 0; c < accuracy.length; c++) {
            parts.add(String.format(Locale.ROOT, "%d:%.1f%%", c, 100 * accuracy[c]));
        }
        return String.join(" ", parts);
    }
}
