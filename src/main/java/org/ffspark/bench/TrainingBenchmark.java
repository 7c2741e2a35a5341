package org.ffspark.bench;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.ffspark.config.ConfigKey;
import org.ffspark.config.Settings;
import org.ffspark.linalg.Gemm;
import org.ffspark.linalg.LaneSums;
import org.ffspark.optim.OptimizerSettings;
import org.ffspark.report.RunSummary;
import org.ffspark.run.TrainingRun;
import org.ffspark.train.EpochMetrics;

/**
 * {@code submit/bench.sh}: where a training epoch's time goes, in figures. Measures the machine's
 * sgemm speed and how far the fast setting's products, alone and with the optimizer's step, scale
 * from one core to two; then trains the notebook's headline configuration with the exact synchronous
 * rule and with the fastest documented setting (hard negatives scored on the first layer; and with
 * random negatives, which shows what that scoring costs), one network at the paper's scale, the
 * recurrent model with random and with hard negatives, and the fastest setting on one and two
 * partitions. Prints a line per epoch and ends with one machine-readable line,
 * {@code seed_epoch_seconds=}: the fastest setting's median epoch (training plus evaluation).
 */
public final class TrainingBenchmark {
    /** Benchmark options, apart from the two configuration files. */
    public record Options(int epochs, int fastEpochs, int scalingEpochs, boolean paperScale, String recurrentConf,
                          int recurrentEpochs, String out) {
    }

    // Steps of an epoch of the fast setting: 20000 images in batches of 128.
    private static final int REPLICA_STEPS = 157;
    // Runs of each partition count in the 1 vs 2 comparison.
    private static final int SCALING_ROUNDS = 4;

    private final JavaSparkContext sc;
    private final PrintStream console;

    public TrainingBenchmark(JavaSparkContext sc, PrintStream console) {
        this.sc = sc;
        this.console = console;
    }

    /**
     * @param exactConf the headline configuration (exact rule)
     * @param fastConf  the fastest documented setting of the same configuration
     */
    public double run(String exactConf, String fastConf, Options options) {
        int cores = Runtime.getRuntime().availableProcessors();
        console.printf(Locale.ROOT, "ffspark bench | Spark %s %s | BLAS %s | sums %s | %d cores | Java %s%n",
                sc.version(), sc.master(), Gemm.library(), LaneSums.implementation(), cores,
                System.getProperty("java.version"));
        double peak = SgemmPeak.measure(1024, 1024, 1024, 3);
        double ffShaped = SgemmPeak.measure(64, 784, 500, 2);
        double together = SgemmPeak.measureConcurrent(2, 1024, 1024, 1024, 3);
        console.printf(Locale.ROOT, "sgemm peak, one thread: %.1f GFLOP/s (1024x1024x1024); %.1f GFLOP/s "
                + "(64x784 by 784x500, a step's first-layer product); two threads at once: %.1f GFLOP/s each "
                + "(x%.2f for two)%n", peak, ffShaped, together, 2 * together / peak);
        // Alternated, so that a slow spell of a shared machine does not land on one side only.
        double productsOne = Double.MAX_VALUE;
        double productsTwo = Double.MAX_VALUE;
        double stepOne = Double.MAX_VALUE;
        double stepTwo = Double.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            productsOne = Math.min(productsOne, SgemmPeak.stepProducts(1, 128, REPLICA_STEPS, false));
            productsTwo = Math.min(productsTwo, SgemmPeak.stepProducts(2, 64, REPLICA_STEPS, false));
            stepOne = Math.min(stepOne, SgemmPeak.stepProducts(1, 128, REPLICA_STEPS, true));
            stepTwo = Math.min(stepTwo, SgemmPeak.stepProducts(2, 64, REPLICA_STEPS, true));
        }
        console.printf(Locale.ROOT, "the fast setting's training products alone ([500,500], the %d steps of an "
                + "epoch): one thread on 128 images a step %.3f s, two threads on 64 images each at once %.3f s: "
                + "x%.2f, the most 2 partitions can gain over 1 from their products%n", REPLICA_STEPS, productsOne,
                productsTwo, productsOne / productsTwo);
        double stepCeiling = stepOne / stepTwo;
        console.printf(Locale.ROOT, "the same with each step's Adam over all the copy's weights (every partition's "
                + "copy takes it in full): one thread %.3f s, two threads at once %.3f s: x%.2f, the most 2 "
                + "partitions can gain over 1 from the step's products and optimizer%n", stepOne, stepTwo,
                stepCeiling);

        // t_opt of the scaling model: every averaging copy takes all of an epoch's steps over all its weights.
        console.printf(Locale.ROOT, "optimizer step, one thread, over the paper-scale network's %d weights: sgd with "
                + "momentum %.2f ns a weight, adam %.2f ns a weight%n", SgemmPeak.PAPER_WEIGHTS,
                SgemmPeak.optimizerNanosPerWeight(OptimizerSettings.Kind.SGD),
                SgemmPeak.optimizerNanosPerWeight(OptimizerSettings.Kind.ADAM));

        section("notebook headline, exact rule", exactConf, "");
        List<EpochMetrics> exact = train(exactConf, options, "exact", peak, "epochs=" + options.epochs());
        section("notebook headline, fastest documented setting", fastConf, "");
        List<EpochMetrics> fast = train(fastConf, options, "fast", peak, "epochs=" + options.fastEpochs());
        section("notebook headline, fastest setting with random negatives", fastConf, "negatives=random");
        List<EpochMetrics> fastRandom = train(fastConf, options, "fast-random", peak, "epochs=" + options.fastEpochs(),
                "negatives=random");
        double exactOverhead = RunSummary.median(exact.stream()
                .mapToDouble(m -> m.timing().overheadMillisPerJob()).toArray());
        console.printf(Locale.ROOT, "exact rule: median epoch %.2f s, engine overhead %.1f ms per step%n",
                medianEpoch(exact), exactOverhead);
        double seedEpoch = printMedians("fastest setting", fast);
        printMedians("fastest setting with random negatives", fastRandom);

        if (options.paperScale()) {
            section("paper scale: 4x2000 on full MNIST, one epoch, fastest setting", fastConf,
                    "hidden=2000,2000,2000,2000 trainLimit=0 testLimit=0");
            train(fastConf, options, "paper", peak, "epochs=1", "hidden=2000,2000,2000,2000", "trainLimit=0",
                    "testLimit=0");
        }

        if (options.recurrentEpochs() > 0) {
            for (String negatives : List.of("random", "hard")) {
                section("recurrent model, exact rule, " + negatives + " negatives", options.recurrentConf(),
                        "negatives=" + negatives);
                List<EpochMetrics> run = train(options.recurrentConf(), options, "recurrent-" + negatives, peak,
                        "epochs=" + options.recurrentEpochs(), "negatives=" + negatives);
                printMedians("recurrent, " + negatives + " negatives", run);
            }
        }

        // The machine's speed drifts over minutes (other tenants); 1 and 2 partitions take turns, in
        // four short runs each, every other pair in the opposite order (1, 2, 2, 1, 1, 2, 2, 1), so that
        // neither a slow spell nor a steady drift lands on one side of the ratio only.
        int rounds = Math.min(SCALING_ROUNDS, options.scalingEpochs());
        List<List<Double>> samplesPerSecond = List.of(new ArrayList<>(), new ArrayList<>());
        for (int round = 0; round < rounds; round++) {
            int epochs = options.scalingEpochs() / rounds + (round < options.scalingEpochs() % rounds ? 1 : 0);
            for (int p : round % 2 == 0 ? new int[] {1, 2} : new int[] {2, 1}) {
                section("partitions=" + p + ", fastest setting, run " + (round + 1) + " of " + rounds, fastConf,
                        "partitions=" + p);
                for (EpochMetrics m : train(fastConf, options, "partitions-" + p + "-run-" + (round + 1), peak,
                        "epochs=" + epochs, "partitions=" + p)) {
                    samplesPerSecond.get(p - 1).add(m.timing().samples() / m.trainSeconds());
                }
            }
        }
        double[] throughput = new double[2];
        for (int p = 0; p < 2; p++) {
            throughput[p] = RunSummary.median(samplesPerSecond.get(p).stream().mapToDouble(Double::doubleValue)
                    .toArray());
        }
        console.printf(Locale.ROOT, "training throughput: 1 partition %.0f samples/s, 2 partitions %.0f samples/s, "
                + "ratio %.2f (the step's own work without Spark: x%.2f)%n", throughput[0], throughput[1],
                throughput[1] / throughput[0], stepCeiling);
        console.printf(Locale.ROOT, "seed_epoch_seconds=%.3f%n", seedEpoch);
        return seedEpoch;
    }

    private static double medianEpoch(List<EpochMetrics> run) {
        return RunSummary.median(run.stream().mapToDouble(m -> m.trainSeconds() + m.evalSeconds()).toArray());
    }

    /** Prints a run's median epoch, training and evaluation seconds; returns the median epoch. */
    private double printMedians(String what, List<EpochMetrics> run) {
        double epoch = medianEpoch(run);
        console.printf(Locale.ROOT, "%s: median epoch %.2f s (training %.2f s + evaluation %.2f s)%n", what, epoch,
                RunSummary.median(run.stream().mapToDouble(EpochMetrics::trainSeconds).toArray()),
                RunSummary.median(run.stream().mapToDouble(EpochMetrics::evalSeconds).toArray()));
        return epoch;
    }

    private void section(String title, String conf, String overrides) {
        console.printf(Locale.ROOT, "%n== %s (%s%s)%n", title, shown(conf), overrides.isEmpty() ? "" : " " + overrides);
        console.println("epoch  train_s  eval_s  samples/s  jobs  overhead_ms/job  gemm_GFLOP/s/core  of_peak"
                + "  peak_heap_MiB  test_acc  compute_ms/job  driver_ms/job  collected_MB/job");
    }

    /** A config file as a user types it: relative to the working folder when it lies under it. */
    private static String shown(String conf) {
        java.nio.file.Path here = java.nio.file.Path.of("").toAbsolutePath();
        java.nio.file.Path file = java.nio.file.Path.of(conf).toAbsolutePath().normalize();
        return file.startsWith(here) ? here.relativize(file).toString() : conf;
    }

    private List<EpochMetrics> train(String conf, Options options, String name, double peak, String... overrides) {
        // A constant rate: a decay scheduled over the bench's few epochs would not be the full run's,
        // and the first epochs of a run are at the full rate anyway.
        List<String> arguments = new ArrayList<>(List.of("lrDecay=none"));
        arguments.addAll(Arrays.asList(overrides));
        arguments.add("out=" + new Path(options.out(), name));
        arguments.add("overwrite=true");
        arguments.add("checkpointEvery=0");
        Settings settings = Settings.parse(conf, arguments, ConfigKey.TRAINING);
        List<EpochMetrics> epochs = new ArrayList<>();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        HeapPeak.reset();
        TransferMeter transfers = new TransferMeter();
        sc.sc().addSparkListener(transfers);
        long[] parameters = new long[1];
        try {
            new TrainingRun(sc, quiet).addListener((m, state) -> {
                epochs.add(m);
                parameters[0] = state.network().parameterCount();
                // Mostly the training jobs' results; the evaluation's confusion matrices are a few KB.
                long collected = transfers.takeBytesAndTasks()[0];
                int jobs = Math.max(1, m.timing().jobs());
                console.printf(Locale.ROOT, "%5d  %7.2f  %6.2f  %9.0f  %4d  %14.1f  %17.1f  %6.0f%%  %13.0f  %7.2f%%"
                                + "  %14.1f  %13.1f  %16.2f%n",
                        m.epoch(), m.trainSeconds(), m.evalSeconds(), m.timing().samples() / m.trainSeconds(),
                        m.timing().jobs(), m.timing().overheadMillisPerJob(),
                        m.timing().gemmGflopsPerCore(), 100 * m.timing().gemmGflopsPerCore() / peak,
                        HeapPeak.megabytes(), 100 * m.testAccuracy(), 1000 * m.timing().kernelSeconds() / jobs,
                        1000 * m.timing().driverSeconds() / jobs, collected / 1e6 / jobs);
                HeapPeak.reset();
            }).run(settings);
        } finally {
            sc.sc().removeSparkListener(transfers);
        }
        // A round of sync=every:K ships each replica's optimizer state with its weights (Adam: two moments).
        boolean rounds = !"every:1".equals(settings.text("sync")) && !"1".equals(settings.text("sync"));
        int copies = !rounds ? 1 : "adam".equals(settings.text("optimizer")) ? 3
                : Double.parseDouble(settings.text("momentum")) > 0 ? 2 : 1;
        console.printf(Locale.ROOT, "broadcast per job: %.2f MB (%d parameters, 4 bytes each%s)%n",
                copies * parameters[0] * 4 / 1e6, parameters[0], rounds ? ", with the optimizer's state" : "");
        return epochs;
    }
}
