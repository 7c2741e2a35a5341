package org.ffspark.run;

import java.io.IOException;
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
        } else if (config.data().files() == null) {
            IdxFiles.inDirectory(config.data().directory(), hadoop);
        } else {
            for (String file : config.data().files()) {
                mustExist(file, "file", hadoop);
            }
        }
        TrainingConfig.RunOptions run = config.run();
        if (!run.resume() && !run.overwrite()) {
            RunOutput.refuseEarlierResults(run.out(), hadoop);
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
