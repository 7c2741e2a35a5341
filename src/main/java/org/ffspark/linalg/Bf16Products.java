package org.ffspark.linalg;

/**
 * Matrix products with bfloat16 operands and float32 sums (the key {@code products=bfloat16}): on a
 * processor with AVX-512's bfloat16 dot products (this project's machine: an AMD EPYC) oneDNN runs them
 * at about twice the float32 speed of OpenBLAS. The operands are rounded to bfloat16 (8 bits of
 * precision), the sums kept in float32. Only the forward products of training use them; the gradients,
 * the optimizer and evaluation stay in float32.
 *
 * <p>They need oneDNN (in ffspark's jars) and Java's foreign linker ({@code jdk.incubator.foreign},
 * Java 17's incubating version, which the launch scripts add); {@link #unavailableReason} says why they
 * cannot run where they cannot.
 */
public final class Bf16Products {
    private Bf16Products() {
    }

    /** The loaded library, or why there is none: loaded the first time it is asked for. */
    private static final class Library {
        static final OneDnnProducts PRODUCTS;
        static final String PROBLEM;

        static {
            OneDnnProducts products = null;
            String problem = "";
            if (ModuleLayer.boot().findModule("jdk.incubator.foreign").isEmpty()) {
                problem = "this JVM runs without jdk.incubator.foreign (Java 17's foreign linker; the launch "
                        + "scripts add it with --add-modules on Java 17)";
            } else if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                problem = "this JVM runs without jdk.incubator.vector";
            } else {
                try {
                    products = OneDnnProducts.load();
                } catch (Exception | LinkageError e) {
                    problem = "oneDNN did not load: " + e.getMessage();
                }
            }
            PRODUCTS = products;
            PROBLEM = problem;
        }
    }

    /** Empty when bfloat16 products can run in this JVM; else why not, as a sentence. */
    public static String unavailableReason() {
        return Library.PROBLEM;
    }

    /** What runs them, as the first line of a run says it: {@code oneDNN 3.8.1}. */
    public static String library() {
        return Library.PRODUCTS == null ? "unavailable" : "oneDNN " + Library.PRODUCTS.version();
    }

    /**
     * {@code out[rows x outputs] = in[rows x k] * W^T} with the operands rounded to bfloat16 (see
     * {@link Gemm#timesTransposedWeights}).
     */
    public static void timesTransposedWeights(float[] in, int rows, int k, float[] weights, int weightStride,
                                              int outputs, float[] out) {
        if (Library.PRODUCTS == null) {
            throw new IllegalStateException("products=bfloat16: " + Library.PROBLEM);
        }
        long started = System.nanoTime();
        long profiled = StepProfile.start();
        Library.PRODUCTS.timesTransposedWeights(in, rows, k, weights, 0, weightStride, outputs, out);
        long work = (long) outputs * rows * k;
        // Split between the task's threads as Gemm's products are: the same thread-seconds rule.
        Gemm.meter().count(2 * work, (System.nanoTime() - started) * Gemm.threadsUsed(outputs, work));
        if (profiled != 0) {
            String inner = StepProfile.inner(k);
            StepProfile.add("bf16 product " + rows + "x" + inner + " by " + inner + "x" + outputs, profiled, 2 * work);
        }
    }
}
