package org.ffspark.run;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.SparkHadoopUtil;
import org.ffspark.FfsparkException;
import org.ffspark.config.Settings;
import org.ffspark.data.IdxFiles;
import org.ffspark.data.PngFolder;
import org.ffspark.data.StorageProblem;
import org.ffspark.store.Checkpoint;
import org.ffspark.store.CheckpointStore;
import org.ffspark.store.RunOutput;
import org.ffspark.train.TrainingConfig;

/**
 * The checks that need no cluster, run before Spark starts so that a wrong path or value fails in a
 * few seconds, not after the executors are up: the data and model files exist, an output would not
 * replace anything it must not, the values parse. The run service repeats what it needs when it runs.
 */
public final class Preflight {
    private Preflight() {
    }

    /** The Hadoop configuration a Spark application with {@code conf} would use (spark.hadoop.* included). */
    public static Configuration hadoop(SparkConf conf) {
        return SparkHadoopUtil.get().newConfiguration(conf);
    }

    public static void training(TrainingConfig config, Configuration hadoop) {
        if (config.data().frame() != null) {
            mustExist(config.data().directory(), "data", hadoop);
            mustExist(config.data().frame().test(), "testData", hadoop);
        } else {
            List<String> named = config.data().files();
            IdxFiles files = named == null ? IdxFiles.inDirectory(config.data().directory(), hadoop)
                    : new IdxFiles(named.get(0), named.get(1), named.get(2), named.get(3));
            for (String file : List.of(files.trainImages(), files.trainLabels(), files.testImages(), files.testLabels())) {
                mustExist(file, "file", hadoop);
            }
            IdxPreparation.checkLimit(config.data().trainLimit(), IdxFiles.count(files.trainImages(), hadoop),
                    "trainLimit", "training", files.trainImages());
            IdxPreparation.checkLimit(config.data().testLimit(), IdxFiles.count(files.testImages(), hadoop),
                    "testLimit", "test", files.testImages());
        }
        TrainingConfig.RunOptions run = config.run();
        RunOutput.refuseFile(run.out(), hadoop);
        if (!run.resume() && !run.overwrite()) {
            RunOutput.refuseEarlierResults(run.out(), hadoop);
        }
    }

    /**
     * For {@code resume=true}: refuses a newest checkpoint written under other settings (the data and the
     * partitions are checked again once Spark has them), and returns what to say instead of training when
     * the run in {@code out} has already finished every epoch asked for; otherwise null.
     */
    public static String resumption(Settings settings, TrainingConfig config, Configuration hadoop) {
        TrainingConfig.RunOptions run = config.run();
        if (!run.resume()) {
            return null;
        }
        CheckpointStore store = new CheckpointStore(run.out(), hadoop, 0, Map.of());
        Checkpoint newest = store.newest(new PrintStream(OutputStream.nullOutputStream()));
        if (newest == null) {
            return null;
        }
        Fingerprint.check(newest, Fingerprint.ofSettings(settings, config), store.lastWritten());
        int done = newest.state().epochsDone();
        RunOutput output = new RunOutput(run.out(), hadoop);
        if (done >= config.epochs() && output.exists(RunOutput.SUCCESS)) {
            return "nothing to do: " + run.out() + " holds this run, finished after " + done + " epoch"
                    + (done == 1 ? "" : "s") + " (raise epochs to train on, or set overwrite=true to start again)";
        }
        return null;
    }

    /**
     * {@code threads} cores per task fit the executors the master gives: Spark refuses a context whose
     * tasks need more cores than an executor has, with pages of log. Masters whose executors' cores are
     * not known before they start (a standalone cluster without spark.executor.cores) are not checked.
     */
    public static void taskCores(int threads, SparkConf conf) {
        int perTask = conf.getInt("spark.task.cpus", threads);
        String master = conf.get("spark.master", "local[*]");
        int cores;
        String source;
        Matcher local = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\d+)?\\])?")
                .matcher(master);
        Matcher cluster = Pattern.compile("local-cluster\\[\\d+,\\s*(\\d+),.*\\]")
                .matcher(master);
        if (local.matches()) {
            String n = local.group(1);
            cores = n == null ? 1 : n.equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(n);
            source = master + " has " + cores + (cores == 1 ? " core" : " cores");
        } else if (cluster.matches()) {
            cores = Integer.parseInt(cluster.group(1));
            source = master + " gives each executor " + cores;
        } else if (conf.contains("spark.executor.cores")) {
            cores = conf.getInt("spark.executor.cores", 1);
            source = "spark.executor.cores is " + cores;
        } else if (master.equals("yarn") || master.startsWith("k8s://")) {
            cores = 1; // both give an executor one core unless told otherwise
            source = "an executor on " + (master.equals("yarn") ? "YARN" : "Kubernetes")
                    + " has 1 core unless spark.executor.cores says more";
        } else {
            return;
        }
        if (perTask > cores) {
            throw new FfsparkException((conf.contains("spark.task.cpus") ? "spark.task.cpus=" : "threads=") + perTask
                    + " needs " + perTask + " cores a task, but " + source + "; use threads=" + cores
                    + " or fewer, or give executors more cores");
        }
    }

    public static void evaluation(String model, String data, Settings settings, Configuration hadoop) {
        settings.choice("split", java.util.List.of("test", "train"));
        settings.integer("limit", 0, Integer.MAX_VALUE);
        settings.integer("partitions", 0, 1 << 16);
        settings.longValue("seed");
        SavedModels.withClassifier(SavedModels.read(model, hadoop).network(), settings, model);
        IdxFiles.inDirectory(data, hadoop);
    }

    public static void prediction(String model, String input, String out, Settings settings, Configuration hadoop) {
        if (!settings.text("format").isEmpty()) {
            settings.choice("format", java.util.List.of("csv", "parquet"));
        }
        settings.bool("invert");
        boolean overwrite = settings.bool("overwrite");
        settings.integer("partitions", 0, 1 << 16);
        SavedModels.withClassifier(SavedModels.read(model, hadoop).network(), settings, model);
        if (!PngFolder.isFolder(input, hadoop)) {
            mustExist(input, "input", hadoop);
        }
        if (!settings.text("labels").isEmpty()) {
            mustExist(settings.text("labels"), "labels file", hadoop);
        }
        if (!overwrite && exists(out, hadoop)) {
            throw new FfsparkException("out " + out + " already exists; choose another or set overwrite=true");
        }
    }

    /** A model can be read and {@code out} may be written. */
    public static void export(String model, String out, Settings settings, Configuration hadoop) {
        boolean overwrite = settings.bool("overwrite");
        SavedModels.read(model, hadoop);
        if (!overwrite && exists(out, hadoop)) {
            throw new FfsparkException("out " + out + " already exists; choose another or set overwrite=true");
        }
    }

    private static void mustExist(String file, String what, Configuration hadoop) {
        Path path = new Path(file);
        try {
            FileSystem fs = path.getFileSystem(hadoop);
            if (!fs.exists(path)) {
                throw new FfsparkException(what + " not found: " + IdxFiles.absolute(fs, path));
            }
        } catch (IOException e) {
            throw new FfsparkException(file + ": " + StorageProblem.describe(e), e);
        }
    }

    private static boolean exists(String file, Configuration hadoop) {
        Path path = new Path(file);
        try {
            return path.getFileSystem(hadoop).exists(path);
        } catch (IOException e) {
            throw new FfsparkException(file + ": " + StorageProblem.describe(e), e);
        }
    }
}
