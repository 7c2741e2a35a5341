package org.ffspark.model;

import org.ffspark.linalg.LaneSums;

/** The scalar functions of FF: numerically stable softplus and sigmoid, and row normalisation. */
public final class Activation {
    private Activation() {
    }

    /** {@code log(1 + e^z)} without overflow for large {@code |z|}. */
    public static float softplus(float z) {
        return (float) (Math.max(z, 0.0) + Math.log1p(Math.exp(-Math.abs((double) z))));
    }

    public static float sigmoid(float z) {
        if (z >= 0) {
            return (float) (1.0 / (1.0 + Math.exp(-z)));
        }
        double e = Math.exp(z);
        return (float) (e / (1.0 + e));
    }

    /** Hinton's layer normalisation: each row divided by its length (plus epsilon), no centring. */
    public static void normaliseRows(float[] in, int rows, int width, float[] out) {
        normaliseRows(InputNorm.LENGTH, in, rows, width, out);
    }

    /** Each row divided by its norm (plus epsilon), no centring. */
    public static void normaliseRows(InputNorm norm, float[] in, int rows, int width, float[] out) {
        for (int r = 0; r < rows; r++) {
            int base = r * width;
            float squares = LaneSums.squares(in, base, width);
            float inv = norm.inverse(squares, width);
            for (int j = 0; j < width; j++) {
                out[base + j] = in[base + j] * inv;
            }
        }
    }
}
