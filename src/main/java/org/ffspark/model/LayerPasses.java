package org.ffspark.model;

import java.util.Arrays;
import org.ffspark.linalg.ActiveColumns;
import org.ffspark.linalg.Gemm;
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
     */
    static float[] timesWeights(ActiveColumns columns, float[] in, int rows, int inputs, float[] params, int outputs,
                                float[] out) {
        long t = StepProfile.start();
        if (!columns.find(in, rows, inputs, MAX_ACTIVE_SHARE)) {
            StepProfile.add("active columns: found too many", t, 0);
            Gemm.timesTransposedWeights(in, rows, inputs, params, inputs, outputs, out);
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
        Gemm.timesTransposedWeights(packed, rows, u, weights, u, outputs, out);
        ActiveColumns.done();
        return packed;
    }

    /** ReLU as Math.max, which the JIT vectorises (a conditional it does not); NaN stays NaN. */
    static void addBiasAndRelu(float[] z, int rows, int width, float[] params, int biasOffset) {
        for (int r = 0; r < rows; r++) {
            int base = r * width;
            for (int j = 0; j < width; j++) {
                float v = z[base + j] + params[biasOffset + j];
                z[base + j] = Math.max(v, 0f);
            }
        }
    }

    static void addBiasGradient(float[] delta, int rows, int width, float[] grad, int biasOffset) {
        for (int r = 0; r < rows; r++) {
            int base = r * width;
            for (int j = 0; j < width; j++) {
                grad[biasOffset + j] += delta[base + j];
            }
        }
    }

    /** {@code buffer}, or a new array when it is shorter than {@code size}. */
    static float[] grow(float[] buffer, int size) {
        return buffer.length >= size ? buffer : new float[size];
    }
}
