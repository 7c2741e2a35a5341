package org.ffspark.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.ffspark.FfsparkException;
import org.ffspark.bench.ScalingCheck;
import org.ffspark.bench.SgemmPeak;
import org.ffspark.bench.StepProfiler;
import org.ffspark.bench.TrainingBenchmark;
import org.ffspark.config.ConfigKey;
import org.ffspark.config.Settings;
import org.ffspark.config.TrainingConfigReader;
import org.ffspark.grid.GridBenchmark;
import org.ffspark.grid.GridFile;
import org.ffspark.grid.GridPointResult;
import org.ffspark.grid.GridRunner;
import org.ffspark.grid.GridSpec;
import org.ffspark.run.ModelEvaluation;
import org.ffspark.run.ModelExport;
import org.ffspark.run.ModelPrediction;
import org.ffspark.run.Preflight;
import org.ffspark.run.TrainingRun;
import org.ffspark.train.SparkDefaults;
import org.ffspark.train.TrainingConfig;

/**
 * The application's entry point under {@code spark-submit}: parses a command's arguments, checks
 * what can be checked without a cluster, then starts Spark and hands over to the run service.
 * {@code -h}/{@code --help} and {@code --keys} print without starting Spark.
 *
 * <p>A problem the user can fix ends the run with one line on stderr naming it and exit code 2; an
 * unexpected failure with exit code 1.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int code;
        UserErrorLogFilter.install();
        try {
            code = run(args, System.out);
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
        // A cluster-mode driver (YARN's application master) reports success when main returns; exiting
        // from under it would be taken for a failure and the attempt retried.
        if (code != 0 || !"cluster".equals(System.getProperty("spark.submit.deployMode"))) {
            System.exit(code);
        }
    }

    /** Runs a command; returns the exit code for what it printed (usage asked for: 0; usage as an error: 2). */
    static int run(String[] args, PrintStream out) {
        if (args.length == 0 || Usage.asksForHelp(args[0])) {
            out.print(Usage.general());
            return args.length == 0 ? 2 : 0;
        }
        String command = args[0];
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (!Usage.COMMANDS.contains(command)) {
            throw new FfsparkException("unknown command '" + command + "'; commands: " + String.join(", ",
                    Usage.COMMANDS) + " (--help for more)");
        }
        if (rest.stream().anyMatch(Usage::asksForHelp)) {
            out.print(Usage.of(command));
            return 0;
        }
        if (rest.contains("--keys")) {
            out.print(Usage.keys(command));
            return 0;
        }
        for (String argument : rest) {
            if (!argument.contains("=")) {
                Settings.refuseCredentials("path", argument); // MODEL, DATA, INPUT, OUT, CONF_FILE, GRID_FILE
            }
        }
        switch (command) {
            case "train" -> {
                if (rest.isEmpty()) {
                    out.print(Usage.of(command));
                    return 2;
                }
                String file = !rest.get(0).contains("=") ? rest.get(0) : null;
                Settings settings = Settings.parse(file, file == null ? rest : rest.subList(1, rest.size()),
                        ConfigKey.TRAINING);
                TrainingConfig config = TrainingConfigReader.from(settings);
                SparkConf conf = sparkConf("ffspark train");
                Preflight.taskCores(config.run().threads(), conf);
                Configuration hadoop = Preflight.hadoop(conf);
                Preflight.training(config, hadoop);
                String finished = Preflight.resumption(settings, config, hadoop);
                if (finished != null) {
                    out.println(finished);
                    return 0;
                }
                inContext("ffspark train", config.run().threads(), sc -> new TrainingRun(sc, out).run(settings));
            }
            case "evaluate" -> {
                if (rest.size() < 2 || rest.get(0).contains("=") || rest.get(1).contains("=")) {
                    throw usageError(command);
                }
                Settings settings = Settings.parse(null, rest.subList(2, rest.size()), ConfigKey.EVALUATION);
                Preflight.evaluation(rest.get(0), rest.get(1), settings, Preflight.hadoop(sparkConf("ffspark evaluate")));
                inContext("ffspark evaluate", 1, sc -> EvaluationPrinter.print(
                        new ModelEvaluation(sc).evaluate(rest.get(0), rest.get(1), settings), settings, out));
            }
            case "predict" -> {
                if (rest.size() < 3 || rest.subList(0, 3).stream().anyMatch(a -> a.contains("="))) {
                    throw usageError(command);
                }
                Settings settings = Settings.parse(null, rest.subList(3, rest.size()), ConfigKey.PREDICTION);
                Preflight.prediction(rest.get(0), rest.get(1), rest.get(2), settings,
                        Preflight.hadoop(sparkConf("ffspark predict")));
                inContext("ffspark predict", 1, sc -> PredictionPrinter.print(new ModelPrediction(sc).predict(
                        rest.get(0), rest.get(1), rest.get(2), settings), rest.get(0), rest.get(1), rest.get(2),
                        settings, out));
            }
            case "export" -> {
                if (rest.size() < 2 || rest.subList(0, 2).stream().anyMatch(a -> a.contains("="))) {
                    throw usageError(command);
                }
                Settings settings = Settings.parse(null, rest.subList(2, rest.size()), ConfigKey.EXPORT);
                Configuration hadoop = Preflight.hadoop(sparkConf("ffspark export"));
                Preflight.export(rest.get(0), rest.get(1), settings, hadoop);
                ModelExport.Result r = ModelExport.write(rest.get(0), rest.get(1), hadoop);
                out.printf(Locale.ROOT, "wrote %s: %d tensors of %s model %s (hidden %s)%n", r.out(), r.tensors(),
                        r.model(), rest.get(0), r.hidden());
            }
            case "bench" -> {
                Settings settings = Settings.parse(null, rest, ConfigKey.BENCH);
                if (settings.choice("blas", List.of("current", "compare")).equals("compare")) {
                    SgemmPeak.compareLibraries(out);
                    return 0;
                }
                if (!settings.text("scaling").isEmpty()) {
                    ScalingCheck.print(List.of(settings.text("scaling").split(",")),
                            settings.integer("scalingImages", 1, Integer.MAX_VALUE),
                            Preflight.hadoop(sparkConf("ffspark bench")), out);
                    return 0;
                }
                int profileSteps = settings.integer("profileSteps", 0, TrainingConfigReader.MAX_EPOCHS);
                if (profileSteps > 0) {
                    out.printf(Locale.ROOT, "== training step profile (%s, %d steps after %d to warm up, %d threads)%n",
                            settings.text("profile"), profileSteps, profileSteps,
                            Math.min(2, Runtime.getRuntime().availableProcessors()));
                    StepProfiler.print(StepProfiler.run(settings.text("profile"), profileSteps,
                            Math.min(2, Runtime.getRuntime().availableProcessors()),
                            Preflight.hadoop(sparkConf("ffspark bench"))), out);
                }
                if (settings.bool("profileOnly")) {
                    return 0;
                }
                TrainingBenchmark.Options options = new TrainingBenchmark.Options(
                        settings.integer("epochs", 1, TrainingConfigReader.MAX_EPOCHS),
                        settings.integer("fastEpochs", 1, TrainingConfigReader.MAX_EPOCHS),
                        settings.integer("scalingEpochs", 1, TrainingConfigReader.MAX_EPOCHS),
                        settings.bool("paper"), settings.required("recurrent"),
                        settings.integer("recurrentEpochs", 0, TrainingConfigReader.MAX_EPOCHS),
                        settings.required("out"));
                inContext("ffspark bench", 1, sc -> new TrainingBenchmark(sc, out).run(settings.required("exact"),
                        settings.required("fast"), options));
            }
            case "grid", "grid-bench" -> {
                if (rest.isEmpty() || rest.get(0).contains("=")) {
                    throw usageError(command);
                }
                GridSpec spec = GridFile.parse(rest.get(0), rest.subList(1, rest.size()),
                        ConfigKey.byName(ConfigKey.TRAINING).keySet());
                if (command.equals("grid")) {
                    GridRunner.checkEarlierResults(spec, Preflight.hadoop(sparkConf("ffspark grid")));
                }
                inContext("ffspark " + command, 1, sc -> {
                    if (command.equals("grid")) {
                        List<GridPointResult> results = new GridRunner(sc, out).run(spec);
                        if (results.stream().noneMatch(GridPointResult::finished)) {
                            throw new FfsparkException("no point of the grid finished");
                        }
                    } else {
                        GridBenchmark.run(sc, spec, out);
                    }
                });
            }
            default -> throw new IllegalStateException(command);
        }
        return 0;
    }

    private static FfsparkException usageError(String command) {
        return new FfsparkException(Usage.line(command) + " (--help for more)");
    }

    private static SparkConf sparkConf(String name) {
        SparkConf conf = SparkDefaults.apply(new SparkConf().setAppName(name));
        if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        return conf;
    }

    /**
     * Runs work in a context whose tasks each hold {@code taskCores} cores, unless spark.task.cpus says
     * otherwise. When the work fails, the tasks still running are given a moment to end before the
     * context stops, so that none of them reports on a stopped context after the command's error.
     */
    private static void inContext(String name, int taskCores, Consumer<JavaSparkContext> work) {
        SparkConf conf = sparkConf(name);
        if (taskCores > 1) {
            conf.setIfMissing("spark.task.cpus", Integer.toString(taskCores));
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(
                SparkSession.builder().config(conf).getOrCreate().sparkContext());
        try {
            work.accept(sc);
        } catch (Throwable e) {
            sc.cancelAllJobs();
            awaitNoRunningTasks(sc, 10_000);
            throw e;
        } finally {
            sc.close();
        }
    }

    private static void awaitNoRunningTasks(JavaSparkContext sc, long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (Arrays.stream(sc.sc().statusTracker().getExecutorInfos()).anyMatch(e -> e.numRunningTasks() > 0)
                && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
