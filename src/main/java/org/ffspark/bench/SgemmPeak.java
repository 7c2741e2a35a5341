package org.ffspark.bench;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.ffspark.linalg.Gemm;
import org.ffspark.optim.Adam;
import org.ffspark.optim.Optimizer;
import org.ffspark.optim.OptimizerSettings;

/**
 * The machine's single-thread sgemm speed through the same BLAS the training uses: the yardstick for
 * the training products' achieved GFLOP/s; and how far products, and a replica's whole step without
 * Spark, scale when two threads run at once.
 */
public final class SgemmPeak {
    /** Weights and biases of 4x2000 on MNIST's 784 pixels and the 10 label units, without a readout. */
    public static final int PAPER_WEIGHTS = (784 + 10) * 2000 + 2000 + 3 * (2000 * 2000 + 2000);

    private SgemmPeak() {
    }

    /**
     * Nanoseconds a weight of one optimizer step over {@link #PAPER_WEIGHTS} weights on one thread, the
     * best of 20 steps: a copy's per-step cost that more partitions do not divide.
     */
    public static double optimizerNanosPerWeight(OptimizerSettings.Kind kind) {
        OptimizerSettings settings = kind == OptimizerSettings.Kind.SGD
                ? new OptimizerSettings(kind, 3e-4, 0.9, 0.999, 1e-8, 0.9, 3e-4)
                : OptimizerSettings.adam(0.03);
        Optimizer optimizer = Optimizer.create(settings, PAPER_WEIGHTS);
        float[] weights = new float[PAPER_WEIGHTS];
        float[] gradient = new float[PAPER_WEIGHTS];
        double best = Double.MAX_VALUE;
        for (int step = 0; step < 20; step++) {
            Arrays.fill(gradient, 1e-3f);
            long start = System.nanoTime();
            optimizer.stepAndClear(weights, gradient);
            best = Math.min(best, System.nanoTime() - start);
        }
        return best / PAPER_WEIGHTS;
    }

    /**
     * GFLOP/s of each of {@code threads} threads running the same product at once: how far the
     * machine's cores scale on this work when they share caches and memory (the ceiling of what more
     * partitions on one machine can give).
     */
    public static double measureConcurrent(int threads, int rows, int k, int outputs, double seconds) {
        return Arrays.stream(atOnce(threads, () -> measure(rows, k, outputs, seconds))).min()
                .orElseThrow();
    }

    /**
     * Seconds for {@code threads} threads at once, each taking {@code steps} steps of the headline
     * network's four training products ([500,500] on 784 pixels: each layer's forward and weight-gradient
     * product) on {@code images} images a step; the slowest thread's. One thread on 128 images against
     * two on 64 is the most two partitions of the fast setting can gain on this machine from their
     * products alone. All four run dense here; training skips the zero deltas of the gradients once a
     * network's activities are sparse, so this is the ceiling of the step's BLAS part.
     *
     * <p>With {@code optimizer}, each step ends as a replica's does: Adam over both layers' weights.
     * Each partition's copy takes that step over all its weights whatever its share of the images, so
     * it is a cost that more partitions do not divide.
     */
    public static double stepProducts(int threads, int images, int steps, boolean optimizer) {
        return Arrays.stream(atOnce(threads, () -> stepProductSeconds(images, steps, optimizer))).max()
                .orElseThrow();
    }

    /** What each of {@code threads} threads started together measured. */
    private static double[] atOnce(int threads, DoubleSupplier measurement) {
        double[] each = new double[threads];
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int index = t;
            workers[t] = new Thread(() -> each[index] = measurement.getAsDouble());
            workers[t].start();
        }
        for (Thread worker : workers) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while measuring", e);
            }
        }
        return each;
    }

    private static double stepProductSeconds(int images, int steps, boolean optimizer) {
        int pixels = 784;
        int stride = pixels + 10; // the label columns follow the pixels in each row of W
        int width = 500;
        int rows = 2 * images; // positives and negatives stacked from the second layer on
        float[] in = filled(images * pixels);
        float[] first = filled(width * stride);
        float[] firstGradient = new float[width * stride];
        float[] hidden = filled(rows * width);
        float[] second = filled(width * width);
        float[] secondGradient = new float[width * width];
        float[] deltas = filled(rows * width);
        float[] out = new float[rows * width];
        Adam firstAdam = new Adam(OptimizerSettings.NOTEBOOK, first.length);
        Adam secondAdam = new Adam(OptimizerSettings.NOTEBOOK, second.length);
        long started = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            Gemm.timesTransposedWeights(in, images, pixels, first, stride, width, out);
            Gemm.addOuterProducts(deltas, images, width, in, pixels, firstGradient, stride);
            Gemm.timesTransposedWeights(hidden, rows, width, second, width, width, out);
            Gemm.addOuterProducts(deltas, rows, width, hidden, width, secondGradient, width);
            if (optimizer) {
                firstAdam.stepAndClear(first, firstGradient);
                secondAdam.stepAndClear(second, secondGradient);
            }
        }
        return (System.nanoTime() - started) / 1e9;
    }

    private static float[] filled(int size) {
        SplittableRandom random = new SplittableRandom(size);
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = (float) random.nextDouble();
        }
        return a;
    }

    /** GFLOP/s of {@code rows x k} times {@code k x outputs} on one thread, best of a few timed runs. */
    public static double measure(int rows, int k, int outputs, double seconds) {
        float[] in = filled(rows * k);
        float[] weights = filled(outputs * k);
        float[] out = new float[rows * outputs];
        double flops = 2.0 * rows * k * outputs;
        Gemm.timesTransposedWeights(in, rows, k, weights, k, outputs, out); // warm-up
        double best = 0;
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        do {
            int repeats = (int) Math.max(1, 2e9 / flops);
            long started = System.nanoTime();
            for (int r = 0; r < repeats; r++) {
                Gemm.timesTransposedWeights(in, rows, k, weights, k, outputs, out);
            }
            best = Math.max(best, flops * repeats / (System.nanoTime() - started));
        } while (System.nanoTime() < deadline);
        return best;
    }

    /**
     * {@code bench.sh blas=compare}: the one-thread sgemm speed of the bundled OpenBLAS, a system
     * OpenBLAS and the Java BLAS on this machine, each in a JVM of its own (netlib binds its BLAS once
     * per JVM), so a person can see what the automatic choice gains and what a missing native library
     * costs.
     */
    public static void compareLibraries(PrintStream console) {
        console.println("library (as chosen)\tGFLOP/s 1024x1024x1024\tGFLOP/s 64x784 by 784x500");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("java.class.path");
        try {
            // under spark-submit the application jar is not on java.class.path
            Path appJar = Path.of(SgemmPeak.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            classPath = appJar + File.pathSeparator + classPath;
        } catch (URISyntaxException | RuntimeException e) {
            // the classes are on the class path already
        }
        for (String kind : List.of("bundled", "system", "java")) {
            ProcessBuilder builder = new ProcessBuilder(java, "--add-modules=jdk.incubator.vector",
                    "-Dffspark.blas=" + kind, "-cp", classPath, SgemmPeak.class.getName());
            builder.environment().put("OPENBLAS_NUM_THREADS", "1");
            try {
                Process process = builder.start();
                String line = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                String error = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                int code = process.waitFor();
                console.println(code == 0 && !line.isEmpty() ? line
                        : kind + "\tnot measured: " + error.lines().reduce((a, b) -> b).orElse("exit " + code));
            } catch (IOException e) {
                console.println(kind + "\tnot measured: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One library's figures, for {@link #compareLibraries}: run with {@code -Dffspark.blas=KIND}. */
    public static void main(String[] args) {
        double cube = measure(1024, 1024, 1024, 2);
        double step = measure(64, 784, 500, 1);
        System.out.printf(Locale.ROOT, "%s\t%.1f\t%.1f%n", Gemm.library(), cube, step);
    }
}
