package org.ffspark.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.ffspark.FfsparkException;
import org.ffspark.data.BlockSource;
import org.ffspark.data.LabeledImages;
import org.ffspark.data.MnistData;
import org.ffspark.data.MnistFiles;
import org.ffspark.eval.ConfusionMatrix;
import org.ffspark.model.Gemm;
import org.ffspark.model.LaneSums;
import org.ffspark.model.ModelFile;
import org.ffspark.model.FFNetwork;
import org.ffspark.model.RecurrentFFNetwork;
import org.ffspark.optim.LearningRateSchedule;
import org.ffspark.random.TorchPermutation;
import org.ffspark.report.CheckpointStore;
import org.ffspark.report.ConsoleProgress;
import org.ffspark.report.Json;
import org.ffspark.report.MetricsLog;
import org.ffspark.report.RunOutput;
import org.ffspark.report.RunReport;
import org.ffspark.train.Checkpoint;
import org.ffspark.train.DistributedTrainer;
import org.ffspark.train.EpochMetrics;
import org.ffspark.train.TrainingConfig;
import org.ffspark.train.TrainingData;
import org.ffspark.train.TrainingDivergedException;
import org.ffspark.train.TrainingListener;

/** {@code train [CONF_FILE] [key=value ...]}: reads the data, trains, writes metrics, summary and model. */
public final class TrainCommand {
    /**
     * Generator outputs spent before each subset is drawn. As in the notebook, one generator seeded
     * with the run seed draws the training permutation first and the test permutation next.
     */
    static final long TRAIN_SUBSET_DRAWS_BEFORE = 0;
    /** Names the subset rule in checkpoints: PyTorch's randperm under the seed (see LabeledImages). */
    static final String SUBSET_DRAW = "torch-randperm";
    /** Test images shown one by one in the report. */
    static final int REPORT_SAMPLES = 10;

    static long testSubsetDrawsBefore(int trainingImages) {
        return TorchPermutation.drawsFor(trainingImages);
    }

    private final JavaSparkContext sc;
    private final PrintStream console;
    private final List<TrainingListener> extraListeners = new ArrayList<>();

    public TrainCommand(JavaSparkContext sc, PrintStream console) {
        this.sc = sc;
        this.console = console;
    }

    /**
     * The data of a run, checked on the driver and cached as blocks on the executors.
     *
     * @param sha256 SHA-256 of each input file, for provenance
     */
    public record PreparedData(TrainingData blocks, int features, Map<String, String> sha256,
                               LabeledImages reportSamples) {
    }

    /** Also tells {@code listener} of every finished epoch (after the console, metrics and checkpoints). */
    public TrainCommand addListener(TrainingListener listener) {
        extraListeners.add(listener);
        return this;
    }

    /** Runs a training and returns its summary (as written to summary.json). */
    public Map<String, Object> run(Settings settings) {
        TrainingConfig config = TrainingConfigs.from(settings);
        PreparedData data = prepare(config);
        RunOutput output = new RunOutput(config.out(), sc.hadoopConfiguration());
        return train(settings, config, data, output, "");
    }

    /**
     * The settings a checkpoint must share with the run that resumes from it: everything that shapes
     * the trajectory (not epochs, which may grow, nor paths).
     */
    static Map<String, String> fingerprint(Settings settings, TrainingConfig config, PreparedData data) {
        Map<String, String> f = new LinkedHashMap<>();
        for (String key : List.of("model", "hidden", "batchSize", "lr", "beta1", "beta2", "adamEpsilon", "goodness",
                "threshold", "trainLimit", "testLimit", "trainAccuracyImages", "seed", "lrScaling", "lrBaseBatch", "sync",
                "iterations", "damping", "scoreIterations", "negatives", "lrDecay")) {
            f.put(key, settings.text(key));
        }
        f.put("hidden", config.hidden().toString());
        f.put("goodness", config.goodness().toString());
        f.put("partitions", Integer.toString(data.blocks().partitions()));
        f.put("data", String.join(",", data.sha256().values()));
        // How trainLimit/testLimit draw their images: checkpoints of an earlier draw must not resume.
        f.put("subsetDraw", SUBSET_DRAW);
        return f;
    }

    private static void checkResumable(Checkpoint checkpoint, Map<String, String> fingerprint, String path) {
        Map<String, ConfigKey> keys = ConfigKey.byName(ConfigKey.TRAINING);
        for (Map.Entry<String, String> e : fingerprint.entrySet()) {
            String saved = checkpoint.fingerprint().get(e.getKey());
            ConfigKey key = keys.get(e.getKey());
            if (saved == null && key != null) {
                saved = key.defaultValue(); // a checkpoint from before the key existed ran with its default
            }
            if (!e.getValue().equals(saved)) {
                String what = e.getKey().equals("data") ? "other data files"
                        : e.getKey() + "=" + (saved == null ? "(an earlier ffspark's)" : saved);
                String now = e.getKey().equals("data") ? "these" : e.getValue();
                throw new FfsparkException("cannot resume from " + path + ": it was written with " + what
                        + ", this run has " + now + " (use another out, or overwrite=true to start again)");
            }
        }
    }

    /**
     * Reads and checks the data a config names (all four files, on the driver, so that any problem
     * is reported before anything is written), then has the executors build and cache their blocks.
     */
    public PreparedData prepare(TrainingConfig config) {
        Configuration hadoop = sc.hadoopConfiguration();
        MnistFiles files = config.dataFiles() == null
                ? MnistFiles.inDirectory(config.data(), hadoop)
                : new MnistFiles(config.dataFiles().get(0), config.dataFiles().get(1),
                        config.dataFiles().get(2), config.dataFiles().get(3));
        files = files.qualified(hadoop);
        MnistData data = MnistData.read(files, hadoop);
        LabeledImages train = subset(data.train(), config.trainLimit(), "trainLimit", "training",
                files.trainImages(), config.seed(), TRAIN_SUBSET_DRAWS_BEFORE);
        long testDrawsBefore = testSubsetDrawsBefore(data.train().count());
        LabeledImages test = subset(data.test(), config.testLimit(), "testLimit", "test",
                files.testImages(), config.seed(), testDrawsBefore);
        TrainingData blocks = TrainingData.load(sc,
                new BlockSource(files.trainImages(), files.trainLabels(), config.trainLimit(), config.seed(),
                        TRAIN_SUBSET_DRAWS_BEFORE, 0, 1), train.count(),
                new BlockSource(files.testImages(), files.testLabels(), config.testLimit(), config.seed(),
                        testDrawsBefore, 0, 1), test.count(),
                config.partitions(), config.trainAccuracyImages());
        return new PreparedData(blocks, train.features(), data.sha256(), test.head(REPORT_SAMPLES));
    }

    /**
     * Trains on prepared data and writes metrics, model and summary to {@code output}.
     *
     * @param label prefixes console lines and Spark job descriptions (e.g. a grid point), or ""
     */
    public Map<String, Object> train(Settings settings, TrainingConfig config, PreparedData data,
                                     RunOutput output, String label) {
        return train(settings, config, data, output, label, () -> false);
    }

    /** As above; {@code cancelled} is asked before every step and stops the run when it says so. */
    public Map<String, Object> train(Settings settings, TrainingConfig config, PreparedData data,
                                     RunOutput output, String label, java.util.function.BooleanSupplier cancelled) {
        TrainingData blocks = data.blocks();
        Map<String, String> fingerprint = fingerprint(settings, config, data);
        CheckpointStore checkpoints = new CheckpointStore(config.out(), sc.hadoopConfiguration(),
                config.checkpointEvery(), fingerprint);
        Checkpoint resumeFrom = config.resume() ? checkpoints.newest(console) : null;
        if (resumeFrom != null) {
            checkResumable(resumeFrom, fingerprint, checkpoints.lastWritten());
            output.prepareDirectory();
            console.printf(Locale.ROOT, "%sresuming from %s (%d of %d epochs done)%n", label,
                    checkpoints.lastWritten(), resumeFrom.epochsDone(), config.epochs());
        } else {
            if (config.resume()) {
                console.println(label + "no checkpoint in " + config.out() + ", starting from epoch 1");
            }
            output.prepare(config.overwrite());
        }
        FFNetwork network = config.initialNetwork(data.features(), LabeledImages.CLASSES);
        console.printf(Locale.ROOT, "%sffspark %s | Spark %s %s | %d partitions | BLAS %s | sums %s%n", label,
                Versions.ffspark(), sc.version(), sc.master(), blocks.partitions(), Gemm.implementation(),
                LaneSums.implementation());
        console.printf(Locale.ROOT, "%smodel %s%s hidden %s (%d parameters) | goodness %s | %d train / %d test "
                        + "images | batch %d, lr %s, sync %s, %d epochs | out %s%n", label,
                config.model(), dynamicsText(network), config.hidden(), network.parameterCount(), config.goodness(),
                blocks.trainCount(),
                blocks.testCount(), config.batchSize(), lrText(settings, config), config.syncText(), config.epochs(),
                config.out());

        List<TrainingListener> listeners = new ArrayList<>(List.of(new ConsoleProgress(console, label),
                new MetricsLog(output), checkpoints));
        listeners.addAll(extraListeners);
        DistributedTrainer.Result result;
        try {
            result = new DistributedTrainer(sc, label, cancelled).train(config, network, blocks, listeners, resumeFrom);
        } catch (TrainingDivergedException e) {
            throw new FfsparkException(e.getMessage() + "; " + (checkpoints.lastWritten() == null
                    ? "no checkpoint was written" : "last good checkpoint: " + checkpoints.lastWritten()), e);
        }
        MetricsLog.write(output, result.epochs());

        Map<String, Object> provenance = provenance(settings, data.sha256(), blocks.partitions());
        output.write(RunOutput.MODEL, ModelFile.toBytes(result.network(), provenance));
        Map<String, Object> summary = summary(config, result, provenance, network.parameterCount(),
                blocks.trainCount(), blocks.testCount());
        output.write(RunOutput.SUMMARY, Json.document(summary));
        RunReport.write(new RunOutput(output.path(RunReport.FOLDER), sc.hadoopConfiguration()),
                RunReport.figures(result.epochs(), result.network(), data.reportSamples()), summary, result.epochs());
        // Written last: a run whose folder holds _SUCCESS wrote all its files completely.
        output.write(RunOutput.SUCCESS, new byte[0]);

        EpochMetrics last = result.epochs().get(result.epochs().size() - 1);
        console.printf(Locale.ROOT, "%stest accuracy %.2f%% (best %.2f%%), train accuracy %.2f%%, "
                        + "median epoch %.1fs%n", label, 100 * last.testAccuracy(), 100 * last.bestTestAccuracy(),
                100 * last.trainAccuracy(), (double) summary.get("epochSeconds"));
        if (label.isEmpty()) {
            console.println("per-class test accuracy: " + classAccuracyText(last.test()));
            console.print(last.test().format());
        }
        console.println(label + "wrote " + output.path(RunOutput.METRICS) + ", " + output.path(RunOutput.SUMMARY)
                + ", " + output.path(RunOutput.MODEL) + ", " + output.path(RunReport.FOLDER + "/" + RunReport.INDEX));
        return summary;
    }

    private static String dynamicsText(FFNetwork network) {
        return network instanceof RecurrentFFNetwork r
                ? String.format(Locale.ROOT, " (%d iterations, damping %s, scored on iterations %s)",
                        r.dynamics().iterations(), r.dynamics().damping(), r.dynamics().windowText())
                : "";
    }

    private static String lrText(Settings settings, TrainingConfig config) {
        String given = settings.text("lr");
        String rate = settings.text("lrScaling").equals("none") ? given
                : String.format(Locale.ROOT, "%.4g (%s-scaled from %s at batch %s)", config.adam().learningRate(),
                        settings.text("lrScaling"), given, settings.text("lrBaseBatch"));
        int full = config.lrSchedule().fullRateEpochs();
        return full == LearningRateSchedule.CONSTANT ? rate
                : String.format(Locale.ROOT, "%s, falling linearly after epoch %d to %.3g", rate, full,
                        config.learningRateAt(config.epochs()));
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

    private Map<String, Object> provenance(Settings settings, Map<String, String> sha256, int partitions) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("config", settings.asMap());
        p.put("dataSha256", sha256);
        p.put("ffspark", Versions.ffspark());
        p.put("spark", sc.version());
        p.put("master", sc.master());
        p.put("partitions", partitions);
        p.put("blas", Gemm.implementation());
        p.put("sums", LaneSums.implementation());
        p.put("java", System.getProperty("java.version"));
        return p;
    }

    private static Map<String, Object> summary(TrainingConfig config, DistributedTrainer.Result result,
                                               Map<String, Object> provenance, long parameters,
                                               int trainImages, int testImages) {
        List<EpochMetrics> epochs = result.epochs();
        EpochMetrics last = epochs.get(epochs.size() - 1);
        int bestEpoch = 1;
        for (EpochMetrics m : epochs) {
            if (m.testAccuracy() > epochs.get(bestEpoch - 1).testAccuracy()) {
                bestEpoch = m.epoch();
            }
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("model", config.model());
        s.put("hidden", config.hidden());
        s.put("parameters", parameters);
        s.put("trainImages", trainImages);
        s.put("testImages", testImages);
        s.put("epochs", epochs.size());
        s.put("testAccuracy", last.testAccuracy());
        s.put("bestTestAccuracy", last.bestTestAccuracy());
        s.put("bestEpoch", bestEpoch);
        s.put("trainAccuracy", last.trainAccuracy());
        s.put("learningRate", config.adam().learningRate());
        s.put("lrDecay", config.lrSchedule().text());
        s.put("sync", config.syncText());
        s.put("epochSeconds", median(epochs.stream().mapToDouble(m -> m.trainSeconds() + m.evalSeconds()).toArray()));
        s.put("trainSeconds", median(epochs.stream().mapToDouble(EpochMetrics::trainSeconds).toArray()));
        s.put("evalSeconds", median(epochs.stream().mapToDouble(EpochMetrics::evalSeconds).toArray()));
        s.put("totalSeconds", epochs.stream().mapToDouble(m -> m.trainSeconds() + m.evalSeconds()).sum());
        s.put("overheadMsPerJob", median(epochs.stream()
                .mapToDouble(m -> m.timing().overheadMillisPerJob(m.trainSeconds())).toArray()));
        s.put("gemmGflopsPerCore", median(epochs.stream().mapToDouble(m -> m.timing().gemmGflopsPerCore()).toArray()));
        s.put("classAccuracy", last.test().classAccuracy());
        s.put("confusionMatrix", last.test().rows());
        s.put("modelFile", RunOutput.MODEL);
        s.putAll(provenance);
        return s;
    }

    public static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static String classAccuracyText(ConfusionMatrix matrix) {
        List<String> parts = new ArrayList<>();
        double[] accuracy = matrix.classAccuracy();
        for (int c = 0; c < accuracy.length; c++) {
            parts.add(String.format(Locale.ROOT, "%d:%.1f%%", c, 100 * accuracy[c]));
        }
        return String.join(" ", parts);
    }
}
