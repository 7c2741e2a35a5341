package org.ffspark.linalg;

import java.util.Arrays;

/**
 * The products of a layer whose input, or whose deltas, come out of ReLU: on their nonzeros alone
 * ({@link SparseRows}) where they are few, by BLAS ({@link Gemm}) where they are not. Only BLAS
 * products count in {@link Gemm#meter()}.
 *
 * <p>A product with a sparse input reads the weights a row per input: a transposed copy, made the
 * first time a block of weights is needed after {@link #weightsChanged()}, and worth its cost when the
 * block serves many rows (scoring 10 labels, the recurrent model's iterations). An instance holds work
 * buffers: use one per thread.
 */
public final class ReluProducts {
    private final SparseRows sparse = new SparseRows();
    private float[][] transposed = new float[0][];
    private boolean[] fresh = new boolean[0];

    /** Forgets the transposed weights: the next product reads the weights as they are now. */
    public void weightsChanged() {
        Arrays.fill(fresh, false);
    }

    /**
     * {@link Gemm#timesTransposedWeightsAt}; {@code block} names the weight block (0, 1, ...) for its
     * transposed copy, which stays valid until {@link #weightsChanged()}.
     */
    public void timesTransposedWeights(int block, float[] in, int rows, int k, float[] weights, int offset,
                                int weightStride, int outputs, float[] out) {
        if (!sparse.gather(in, rows, k, SparseRows.MAX_DENSITY_TRANSPOSED)) {
            Gemm.timesTransposedWeightsAt(in, rows, k, weights, offset, weightStride, outputs, out);
            return;
        }
        if (block >= transposed.length) {
            transposed = Arrays.copyOf(transposed, block + 1);
            fresh = Arrays.copyOf(fresh, block + 1);
        }
        if (!fresh[block]) {
            transposed[block] = SparseRows.transpose(weights, offset, weightStride, outputs, k, transposed[block]);
            fresh[block] = true;
        }
        sparse.timesWeights(transposed[block], outputs, out);
    }

    /** {@link Gemm#addOuterProductsAt}, skipping the zero deltas. */
    public void addOuterProducts(float[] delta, int rows, int outputs, float[] in, int k, float[] grad, int offset,
                          int gradStride) {
        if (sparse.gather(delta, rows, outputs, SparseRows.MAX_DENSITY)) {
            sparse.addOuterProducts(in, k, grad, offset, gradStride);
        } else {
            Gemm.addOuterProductsAt(delta, rows, outputs, in, k, grad, offset, gradStride);
        }
    }
}
