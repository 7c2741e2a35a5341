package org.ffspark.linalg;

import java.util.Arrays;

/**
 * The nonzero entries of a row-major float block, row by row (compressed sparse rows), and the two
 * products FF needs with such a block on one side.
 *
 * <p>ReLU makes FF's activities mostly zeros once a network has learnt a little: a trained [500,500]
 * network lights about 30 of layer 0's 500 units for an image with its true label and 3-4 with a wrong
 * one, and about 5 of layer 1's. A dense product multiplies all the zeros; these products skip them
 * and cost in proportion to the nonzeros. They add in a fixed order (by row, then by column), so
 * results are reproducible, though they differ from a BLAS product's in the last bits.
 *
 * <p>An instance holds its buffers and is reused from step to step: use one per thread.
 */
public final class SparseRows {
    /**
     * Above this share of nonzero deltas a BLAS weight gradient is faster. Measured on this project's
     * machine ([500,500], 128 rows): at 3.4% nonzeros 0.14 ms against BLAS's 0.71, at 12% 0.75 against
     * 0.70 (gathering the nonzeros included).
     */
    public static final double MAX_DENSITY = 0.1;

    /**
     * Below this share of nonzero deltas, a weight gradient is computed delta by delta rather than as a
     * BLAS product over the outputs with any nonzero delta ({@link ReluProducts}).
     */
    public static final double MAX_DENSITY_ONE_BY_ONE = 0.01;

    /**
     * The same for a product with a sparse input whose transposed weights serve many rows (1280 rows, the
     * transposition not counted): at 12% nonzeros 6.7 ms against BLAS's 7.9, at 18% 9.9 against 7.8.
     */
    public static final double MAX_DENSITY_TRANSPOSED = 0.15;

    /** Tiles of the transposition: 16 x 16 floats read and written, well inside L1. */
    private static final int TILE = 16;

    private int rows;
    private int width;
    private int[] starts = new int[1];
    private int[] columns = new int[0];
    private float[] values = new float[0];

    /**
     * Gathers the nonzero entries of {@code a[rows x width]} if there are at most
     * {@code maxDensity * rows * width} of them; returns whether it did. Stops reading as soon as there
     * are more, so a block too dense to gain from these products costs little to turn down.
     */
    boolean gather(float[] a, int rows, int width, double maxDensity) {
        long limit = (long) (maxDensity * rows * width);
        if (limit == 0) {
            return false;
        }
        if (starts.length < rows + 1) {
            starts = new int[rows + 1];
        }
        if (columns.length < limit) {
            columns = new int[(int) limit];
            values = new float[(int) limit];
        }
        int count = 0;
        for (int r = 0; r < rows; r++) {
            starts[r] = count;
            int base = r * width;
            for (int j = 0; j < width; j++) {
                float v = a[base + j];
                if (v != 0f) { // NaN is kept, so a diverged step still shows in the losses
                    if (count == limit) {
                        return false;
                    }
                    columns[count] = j;
                    values[count] = v;
                    count++;
                }
            }
        }
        starts[rows] = count;
        this.rows = rows;
        this.width = width;
        return true;
    }

    int nonzeros() {
        return starts[rows];
    }



    /**
     * {@code out[rows x outputs] = S * W^T} from {@code W^T} ({@link #transpose}): what
     * {@link Gemm#timesTransposedWeights} computes for a dense {@code S}. Each output row is a sum of
     * the rows of {@code W^T} that its nonzeros pick, in column order.
     */
    void timesWeights(float[] transposedWeights, int outputs, float[] out) {
        ProductThreads.split(outputs, (long) nonzeros() * outputs, (o0, o1) -> {
            for (int r = 0; r < rows; r++) {
                int outBase = r * outputs;
                Arrays.fill(out, outBase + o0, outBase + o1, 0f);
                for (int e = starts[r]; e < starts[r + 1]; e++) {
                    LaneSums.addScaled(values[e], transposedWeights, columns[e] * outputs + o0, out, outBase + o0,
                            o1 - o0);
                }
            }
        });
    }

    /**
     * {@code grad[offset + o * gradStride + i] += sum_r S[r][o] * in[r][i]} for {@code i < k}: what
     * {@link Gemm#addOuterProductsAt} computes for dense deltas {@code S}.
     */
    void addOuterProducts(float[] in, int k, float[] grad, int offset, int gradStride) {
        ProductThreads.split(width, (long) nonzeros() * k, (o0, o1) -> {
            for (int r = 0; r < rows; r++) {
                int inBase = r * k;
                for (int e = starts[r]; e < starts[r + 1]; e++) {
                    int o = columns[e];
                    if (o >= o0 && o < o1) {
                        LaneSums.addScaled(values[e], in, inBase, grad, offset + o * gradStride, k);
                    }
                }
            }
        });
    }

    /**
     * {@code into[j * outputs + o] = W[offset + o * weightStride + j]} for {@code j < k}: the weight
     * matrix with a row per input, which {@link #timesWeights} reads a row at a time; in {@code into}
     * when it is large enough (it may be null).
     */
    static float[] transpose(float[] weights, int offset, int weightStride, int outputs, int k, float[] into) {
        float[] t = into != null && into.length >= outputs * k ? into : new float[outputs * k];
        for (int o0 = 0; o0 < outputs; o0 += TILE) {
            int o1 = Math.min(o0 + TILE, outputs);
            for (int j0 = 0; j0 < k; j0 += TILE) {
                int j1 = Math.min(j0 + TILE, k);
                for (int o = o0; o < o1; o++) {
                    int w = offset + o * weightStride;
                    for (int j = j0; j < j1; j++) {
                        t[j * outputs + o] = weights[w + j];
                    }
                }
            }
        }
        return t;
    }
}
