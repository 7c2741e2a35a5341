package org.ffspark.bench;

import java.util.SplittableRandom;
import org.ffspark.model.Gemm;

/**
 * The machine's single-thread sgemm speed through the same BLAS the training uses: the yardstick for
 * the training products' achieved GFLOP/s.
 */
public final class SgemmPeak {
    private SgemmPeak() {
    }

    /**
     * GFLOP/s of each of {@code threads} threads running the same product at once: how far the
     * machine's cores scale on this work when they share caches and memory (the ceiling of what more
     * partitions on one machine can give).
     */
    public static double measureConcurrent(int threads, int rows, int k, int outputs, double seconds) {
        double[] each = new double[threads];
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int index = t;
            workers[t] = new Thread(() -> each[index] = measure(rows, k, outputs, seconds));
            workers[t].start();
        }
        double slowest = Double.MAX_VALUE;
        for (int t = 0; t < threads; t++) {
            try {
                workers[t].join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while measuring sgemm", e);
            }
            slowest = Math.min(slowest, each[t]);
        }
        return slowest;
    }

    /** GFLOP/s of {@code rows x k} times {@code k x outputs} on one thread, best of a few timed runs. */
    public static double measure(int rows, int k, int outputs, double seconds) {
        SplittableRandom random = new SplittableRandom(1);
        float[] in = new float[rows * k];
        float[] weights = new float[outputs * k];
        float[] out = new float[rows * outputs];
        for (int i = 0; i < in.length; i++) {
            in[i] = (float) random.nextDouble();
        }
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) random.nextDouble();
        }
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
}
