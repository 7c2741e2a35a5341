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
    /** Above this share of outputs with a nonzero delta, the gradient is one dense product. */
    static final double MAX_ACTIVE_OUTPUTS = 0.5;

    private final SparseRows sparse = new SparseRows();
    private final ActiveColumns activeOutputs = new ActiveColumns();
    private float[] packedGradient = new float[0];
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
        long profiled = StepProfile.start();
        if (!sparse.gather(in, rows, k, SparseRows.MAX_DENSITY_TRANSPOSED)) {
            Gemm.timesTransposedWeightsAt(in, rows, k, weights, offset, weightStride, outputs, out);
            StepProfile.add("sparse check, too dense", profiled, 0);
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
        StepProfile.addSparse("sparse product " + rows + "x" + k + " by " + k + "x" + outputs, profiled,
                2L * sparse.nonzeros() * outputs, sparse.nonzeros(), (long) rows * k);
    }

    /**
     * {@link Gemm#addOuterProductsAt}, skipping the zero deltas: where the outputs with any nonzero delta
     * are few, a BLAS product over those outputs alone, added to their rows of the gradient; where the
     * deltas are fewer still, their products one by one ({@link SparseRows}).
     */
    public void addOuterProducts(float[] delta, int rows, int outputs, float[] in, int k, float[] grad, int offset,
                          int gradStride) {
        addOuterProducts(delta, rows, outputs, null, in, k, grad, offset, gradStride);
    }

    /**
     * As above, told which outputs may have a nonzero delta: {@code outputBits[o] == 0} only where every
     * delta of output {@code o} is zero (the bits of the ReLU the deltas were scaled from), or null to
     * look.
     */
    public void addOuterProducts(float[] delta, int rows, int outputs, int[] outputBits, float[] in, int k,
                                 float[] grad, int offset, int gradStride) {
        long profiled = StepProfile.start();
        if (sparse.gather(delta, rows, outputs, SparseRows.MAX_DENSITY_ONE_BY_ONE)) {
            sparse.addOuterProducts(in, k, grad, offset, gradStride);
            StepProfile.addSparse("sparse gradient " + outputs + "x" + StepProfile.inner(k) + " over " + rows + " rows",
                    profiled,
                    2L * sparse.nonzeros() * k, sparse.nonzeros(), (long) rows * outputs);
        } else if (outputBits != null ? activeOutputs.fromBits(outputBits, outputs, MAX_ACTIVE_OUTPUTS)
                : activeOutputs.find(delta, rows, outputs, MAX_ACTIVE_OUTPUTS)) {
            int u = activeOutputs.count();
            if (u == 0 || k == 0) { // every delta is zero
                StepProfile.addSparse("active outputs: find and pack", profiled, 0, 0, outputs);
                return;
            }
            float[] packedDelta = activeOutputs.packRows(delta, rows, outputs);
            // Sized for every output at once: the active ones change from step to step.
            packedGradient = packedGradient.length >= u * k ? packedGradient : new float[outputs * k];
            Arrays.fill(packedGradient, 0, u * k, 0f);
            StepProfile.addSparse("active outputs: find and pack", profiled, 0, u, outputs);
            StepProfile.packedOutputs(true);
            Gemm.addOuterProductsAt(packedDelta, rows, u, in, k, packedGradient, 0, k);
            StepProfile.packedOutputs(false);
            long added = StepProfile.start();
            activeOutputs.addRows(packedGradient, k, grad, offset, gradStride);
            StepProfile.add("active outputs: gradient rows back in place", added, 0);
        } else {
            Gemm.addOuterProductsAt(delta, rows, outputs, in, k, grad, offset, gradStride);
            StepProfile.add("sparse check, too dense", profiled, 0);
        }
    }
}
