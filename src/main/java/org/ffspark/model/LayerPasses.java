package org.ffspark.model;

import java.util.Arrays;
import org.ffspark.linalg.ActiveColumns;
import org.ffspark.linalg.Bf16Products;
import org.ffspark.linalg.Gemm;
import org.ffspark.linalg.LaneSums;
import org.ffspark.linalg.ProductPrecision;
import org.ffspark.linalg.StepProfile;

/** The passes every layer's forward and backward step share: the weight product, bias and ReLU, buffers. */
final class LayerPasses {
    private LayerPasses() {
    }

    /** Above this share of active input columns, a layer's products run on the whole input. */
    static final double MAX_ACTIVE_SHARE = 0.5;

    /**
     * {@code out[rows x outputs] = in * W^T} for a layer's input {@code in[rows x inputs]} and its weights
     * {@code W} (rows {@code inputs} long): on the active input columns alone when they are few enough.
     * Returns the packed input (valid until {@code columns} packs again), or null for a dense product.
     *
     * @param inputBits the input's column bits ORed ({@link #addBiasAndRelu}), or null to find them
     */
    static float[] timesWeights(ActiveColumns columns, float[] in, int rows, int inputs, int[] inputBits,
                                float[] params, int outputs, float[] out, ProductPrecision precision) {
        long t = StepProfile.start();
        boolean few = inputBits != null ? columns.fromBits(inputBits, inputs, MAX_ACTIVE_SHARE)
                : columns.find(in, rows, inputs, MAX_ACTIVE_SHARE);
        if (!few) {
            StepProfile.addSparse("active columns: found too many", t, 0, columns.count(), inputs);
            product(in, rows, inputs, params, inputs, outputs, out, precision);
            return null;
        }
        int u = columns.count();
        float[] packed = columns.packRows(in, rows, inputs);
        if (u == 0) { // no input is active: no output but the bias
            Arrays.fill(out, 0, rows * outputs, 0f);
            StepProfile.addSparse("active columns: find and pack", t, 0, 0, inputs);
            return packed;
        }
        float[] weights = columns.packWeights(params, 0, inputs, outputs);
        StepProfile.addSparse("active columns: find and pack", t, 0, u, inputs);
        ActiveColumns.using();
        product(packed, rows, u, weights, u, outputs, out, precision);
        ActiveColumns.done();
        return packed;
    }

    /** {@code out = in * W^T} ({@link Gemm#timesTransposedWeights}) in {@code precision}. */
    static void product(float[] in, int rows, int k, float[] weights, int stride, int outputs, float[] out,
                        ProductPrecision precision) {
        if (precision == ProductPrecision.BFLOAT16) {
            Bf16Products.timesTransposedWeights(in, rows, k, weights, stride, outputs, out);
        } else {
            Gemm.timesTransposedWeights(in, rows, k, weights, stride, outputs, out);
        }
    }

    /**
     * ReLU of the products plus the biases; NaN stays NaN. With {@code bits} (zeroed here, {@code width}
     * long) the columns' bits are ORed into it, so the next layer need not look for its active inputs.
     */
    static void addBiasAndRelu(float[] z, int rows, int width, float[] params, int biasOffset, int[] bits) {
        if (bits != null) {
            Arrays.fill(bits, 0, width, 0);
        }
        for (int r = 0; r < rows; r++) {
            LaneSums.addBiasRelu(z, r * width, params, biasOffset, width, bits);
        }
    }

    /** {@code buffer}, or a new array when it is shorter than {@code size}. */
    static int[] grow(int[] buffer, int size) {
        return buffer.length >= size ? buffer : new int[size];
    }

    /** Adds each row of the deltas to the biases' gradient (as a scaling by 1, exact, which runs in vectors). */
    static void addBiasGradient(float[] delta, int rows, int width, float[] grad, int biasOffset) {
        for (int r = 0; r < rows; r++) {
            LaneSums.addScaled(1f, delta, r * width, grad, biasOffset, width);
        }
    }

    /** {@code buffer}, or a new array when it is shorter than {@code size}. */
    static float[] grow(float[] buffer, int size) {
        return buffer.length >= size ? buffer : new float[size];
    }
}
