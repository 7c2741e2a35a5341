package org.ffspark.linalg;

import dev.ludovic.netlib.blas.BLAS;

/**
 * The two matrix products FF needs, on row-major float blocks, through dev.ludovic.netlib on the BLAS
 * {@link BlasLibrary} chooses (native OpenBLAS when present, else a pure-Java implementation).
 *
 * <p>BLAS is column-major: a row-major {@code r x c} matrix is the column-major {@code c x r}
 * transpose, which is why the transposition flags below look swapped.
 */
public final class Gemm {
    private static final BlasLibrary.Choice LIBRARY = BlasLibrary.select();
    private static final BLAS BLAS_IMPL = BLAS.getInstance();
    private static final ThreadLocal<Meter> METER = ThreadLocal.withInitial(Meter::new);

    private Gemm() {
    }

    /** The BLAS implementation in use, e.g. {@code JNIBLAS} for native code. */
    public static String implementation() {
        return BLAS_IMPL.getClass().getSimpleName();
    }

    /**
     * What the products run on, as a person reads it: the library and its file when native (e.g.
     * {@code bundled OpenBLAS 0.3.31 /root/.cache/ffspark/openblas-0.3.31/libopenblas.so.0}), else the
     * Java implementation and why.
     */
    public static String library() {
        String name = implementation();
        if (name.equals("JNIBLAS") && LIBRARY.isNative()) {
            return BlasLibrary.numerics();
        }
        return "Java " + name + (LIBRARY.isNative() ? " (" + LIBRARY.path() + " did not load)"
                : LIBRARY.reason().isEmpty() ? "" : " (" + LIBRARY.reason() + ")");
    }

    /**
     * {@code out[rows x outputs] = in[rows x k] * W^T}, where row {@code o} of the row-major weight
     * matrix holds its first {@code k} inputs at {@code W[o * weightStride]}. A stride larger than
     * {@code k} multiplies by a left block of columns of {@code W}.
     */
    public static void timesTransposedWeights(float[] in, int rows, int k, float[] weights,
                                              int weightStride, int outputs, float[] out) {
        timesTransposedWeightsAt(in, rows, k, weights, 0, weightStride, outputs, out);
    }

    /**
     * {@code grad[o][i] += sum_r delta[r][o] * in[r][i]} for {@code i < k}: the weight gradient of a
     * linear layer, accumulated into a row-major matrix whose rows are {@code gradStride} long.
     */
    public static void addOuterProducts(float[] delta, int rows, int outputs, float[] in, int k,
                                        float[] grad, int gradStride) {
        addOuterProductsAt(delta, rows, outputs, in, k, grad, 0, gradStride);
    }

    /**
     * As {@link #timesTransposedWeights}, with the matrix starting at {@code weights[offset]}; the
     * outputs are split between this task's threads ({@link ProductThreads}).
     */
    public static void timesTransposedWeightsAt(float[] in, int rows, int k, float[] weights, int offset,
                                                int weightStride, int outputs, float[] out) {
        long started = System.nanoTime();
        long profiled = StepProfile.start();
        long work = (long) outputs * rows * k;
        // Outputs o0..o1 are rows o0..o1 of W and columns o0..o1 of out (whose rows are outputs long).
        ProductThreads.split(outputs, work, (o0, o1) -> BLAS_IMPL.sgemm("T", "N", o1 - o0, rows, k, 1f, weights,
                offset + o0 * weightStride, weightStride, in, 0, k, 0f, out, o0, outputs));
        METER.get().count(2 * work, (System.nanoTime() - started) * threadsUsed(outputs, work));
        if (profiled != 0) {
            String inner = StepProfile.inner(k);
            StepProfile.add("product " + rows + "x" + inner + " by " + inner + "x" + outputs, profiled, 2 * work);
        }
    }

    /**
     * As {@link #addOuterProducts}, with the gradient matrix starting at {@code grad[offset]}; the
     * outputs are split between this task's threads.
     */
    public static void addOuterProductsAt(float[] delta, int rows, int outputs, float[] in, int k,
                                          float[] grad, int offset, int gradStride) {
        long started = System.nanoTime();
        long profiled = StepProfile.start();
        long work = (long) outputs * rows * k;
        // Outputs o0..o1 are columns o0..o1 of delta and rows o0..o1 of grad.
        ProductThreads.split(outputs, work, (o0, o1) -> BLAS_IMPL.sgemm("N", "T", k, o1 - o0, rows, 1f, in, 0, k,
                delta, o0, outputs, 1f, grad, offset + o0 * gradStride, gradStride));
        METER.get().count(2 * work, (System.nanoTime() - started) * threadsUsed(outputs, work));
        if (profiled != 0) {
            StepProfile.add("gradient " + StepProfile.outputs(outputs) + "x" + StepProfile.inner(k) + " over " + rows
                    + " rows", profiled, 2 * work);
        }
    }

    /** Threads a product of this size runs on, for the thread-seconds the meter counts. */
    static int threadsUsed(int outputs, long work) {
        return work < ProductThreads.MIN_SPLIT_WORK ? 1 : Math.max(1, Math.min(ProductThreads.current(), outputs / 16));
    }

    /** This thread's running totals of products: take a {@link Meter#copy} before, subtract after. */
    public static Meter meter() {
        return METER.get();
    }

    /** Floating-point operations and nanoseconds spent in products. */
    public static final class Meter {
        private long flops;
        private long nanos;

        void count(long operations, long took) {
            flops += operations;
            nanos += took;
        }

        public long flops() {
            return flops;
        }

        public long nanos() {
            return nanos;
        }

        public Meter copy() {
            Meter m = new Meter();
            m.count(flops, nanos);
            return m;
        }

        /** What was counted since {@code earlier}, a copy taken on the same thread. */
        public Meter since(Meter earlier) {
            Meter m = new Meter();
            m.count(flops - earlier.flops, nanos - earlier.nanos);
            return m;
        }
    }
}
