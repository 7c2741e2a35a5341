package org.ffspark.cli;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.ffspark.FfsparkException;
import org.ffspark.bench.TrainingBenchmark;
import org.ffspark.grid.GridBenchmark;
import org.ffspark.grid.GridFile;
import org.ffspark.grid.GridPointResult;
import org.ffspark.grid.GridRunner;
import org.ffspark.grid.GridSpec;
import org.ffspark.train.SparkDefaults;

/**
 * The application's entry point under {@code spark-submit}:
 * {@code train}, {@code evaluate}, {@code predict}, {@code grid}, {@code grid-bench} or {@code bench} (see
 * {@link #USAGE}).
 *
 * <p>A problem the user can fix ends the run with one line on stderr naming it and exit code 2; an
 * unexpected failure with exit code 1.
 */
public final class Main {
    static final String USAGE = "usage: train [CONF_FILE] [key=value ...] | evaluate MODEL DATA [key=value ...]"
            + " | predict MODEL INPUT OUT [key=value ...]"
            + " | grid GRID_FILE [key=value ...] | grid-bench GRID_FILE [key=value ...] | bench [key=value ...]";

    private Main() {
    }

    public static void main(String[] args) {
        int code;
        try {
            run(args);
            code = 0;
        } catch (FfsparkException e) {
            System.err.println("ffspark: error: " + FfsparkException.firstLine(e));
            code = 2;
        } catch (Exception e) { // Spark's own exceptions are checked ones thrown undeclared from Scala
            FfsparkException cause = FfsparkException.findIn(e);
            if (cause != null) {
                System.err.println("ffspark: error: " + FfsparkException.firstLine(cause));
                code = 2;
            } else {
                System.err.println("ffspark: failed: " + e);
                e.printStackTrace(System.err);
                code = 1;
            }
        }
        System.out.flush();
        System.exit(code);
    }

    static void run(String[] args) {
        if (args.length == 0) {
            throw new FfsparkException(USAGE);
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        switch (args[0]) {
            case "train" -> {
                String file = !rest.isEmpty() && !rest.get(0).contains("=") ? rest.get(0) : null;
                Settings settings = Settings.parse(file, file == null ? rest : rest.subList(1, rest.size()),
                        ConfigKey.TRAINING);
                TrainingConfigs.from(settings); // refuse bad settings before Spark starts
                try (JavaSparkContext sc = context("ffspark train")) {
                    new TrainCommand(sc, System.out).run(settings);
                }
            }
            case "evaluate" -> {
                if (rest.size() < 2 || rest.get(0).contains("=") || rest.get(1).contains("=")) {
                    throw new FfsparkException("usage: evaluate MODEL DATA [key=value ...]");
                }
                Settings settings = Settings.parse(null, rest.subList(2, rest.size()), ConfigKey.EVALUATION);
                try (JavaSparkContext sc = context("ffspark evaluate")) {
                    new EvaluateCommand(sc, System.out).run(rest.get(0), rest.get(1), settings);
                }
            }
            case "predict" -> {
                if (rest.size() < 3 || rest.subList(0, 3).stream().anyMatch(a -> a.contains("="))) {
                    throw new FfsparkException("usage: predict MODEL INPUT OUT [key=value ...]");
                }
                Settings settings = Settings.parse(null, rest.subList(3, rest.size()), ConfigKey.PREDICTION);
                try (JavaSparkContext sc = context("ffspark predict")) {
                    new PredictCommand(sc, System.out).run(rest.get(0), rest.get(1), rest.get(2), settings);
                }
            }
            case "bench" -> {
                Settings settings = Settings.parse(null, rest, ConfigKey.BENCH);
                TrainingBenchmark.Options options = new TrainingBenchmark.Options(
                        settings.integer("epochs", 1, TrainingConfigs.MAX_EPOCHS),
                        settings.integer("fastEpochs", 1, TrainingConfigs.MAX_EPOCHS),
                        settings.integer("scalingEpochs", 1, TrainingConfigs.MAX_EPOCHS),
                        settings.bool("paper"), settings.required("recurrent"),
                        settings.integer("recurrentEpochs", 0, TrainingConfigs.MAX_EPOCHS), settings.required("out"));
                try (JavaSparkContext sc = context("ffspark bench")) {
                    new TrainingBenchmark(sc, System.out).run(settings.required("exact"), settings.required("fast"),
                            options);
                }
            }
            case "grid", "grid-bench" -> {
                if (rest.isEmpty() || rest.get(0).contains("=")) {
                    throw new FfsparkException("usage: " + args[0] + " GRID_FILE [key=value ...]");
                }
                GridSpec spec = GridFile.parse(rest.get(0), rest.subList(1, rest.size()),
                        ConfigKey.byName(ConfigKey.TRAINING).keySet());
                try (JavaSparkContext sc = context("ffspark " + args[0])) {
                    if (args[0].equals("grid")) {
                        List<GridPointResult> results = new GridRunner(sc, System.out).run(spec);
                        if (results.stream().noneMatch(GridPointResult::finished)) {
                            throw new FfsparkException("no point of the grid finished");
                        }
                    } else {
                        GridBenchmark.run(sc, spec, System.out);
                    }
                }
            }
            default -> throw new FfsparkException("unknown command '" + args[0] + "'; " + USAGE);
        }
    }

    private static JavaSparkContext context(String name) {
        SparkConf conf = SparkDefaults.apply(new SparkConf().setAppName(name));
        if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        return JavaSparkContext.fromSparkContext(SparkSession.builder().config(conf).getOrCreate().sparkContext());
    }
}
