package org.ffspark.linalg;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How many threads a task's matrix products may use, and the threads themselves. A Spark task that
 * holds several cores (Spark's {@code spark.task.cpus}, ffspark's {@code threads} key) splits each
 * large product by its outputs into as many slices, each computed by single-threaded BLAS (or the
 * sparse products) on its own thread; every output is computed exactly as a single thread would, so
 * the results do not depend on the thread count.
 */
public final class ProductThreads {
    /** Below this many multiply-adds a product is not worth splitting. */
    static final long MIN_SPLIT_WORK = 4_000_000;
    /** Slices start at multiples of this many outputs: whole vector lanes and cache lines. */
    private static final int ALIGN = 16;
    private static final ThreadLocal<Integer> THREADS = ThreadLocal.withInitial(() -> 1);
    private static ExecutorService pool;
    private static int poolSize;

    /** A slice of a product's outputs, {@code [from, to)}. */
    @FunctionalInterface
    public interface Slice {
        void compute(int from, int to);
    }

    private ProductThreads() {
    }

    /** Sets the threads this thread's products may use (the cores its task holds). */
    public static void use(int threads) {
        THREADS.set(Math.max(1, threads));
    }

    public static int current() {
        return THREADS.get();
    }

    /**
     * Runs {@code slice} over {@code [0, outputs)}, split when this thread may use more threads and the
     * work is large: a product's outputs, or the elements of an optimizer step.
     */
    public static void split(int outputs, long work, Slice slice) {
        int threads = Math.min(THREADS.get(), outputs / ALIGN);
        if (threads <= 1 || work < MIN_SPLIT_WORK) {
            slice.compute(0, outputs);
            return;
        }
        ExecutorService workers = pool(threads - 1);
        int per = (outputs / threads + ALIGN - 1) / ALIGN * ALIGN;
        @SuppressWarnings("unchecked")
        Future<?>[] others = new Future<?>[threads - 1];
        for (int t = 1; t < threads; t++) {
            int from = Math.min(outputs, t * per);
            int to = t == threads - 1 ? outputs : Math.min(outputs, (t + 1) * per);
            others[t - 1] = workers.submit(() -> slice.compute(from, to));
        }
        slice.compute(0, Math.min(outputs, per));
        for (Future<?> f : others) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted in a product", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
    }

    private static synchronized ExecutorService pool(int size) {
        if (pool == null || poolSize < size) {
            ExecutorService old = pool;
            pool = Executors.newFixedThreadPool(size, r -> {
                Thread t = new Thread(r, "ffspark-products");
                t.setDaemon(true);
                return t;
            });
            poolSize = size;
            if (old != null) {
                old.shutdown();
            }
        }
        return pool;
    }
}
