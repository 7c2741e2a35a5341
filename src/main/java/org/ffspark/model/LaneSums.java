package org.ffspark.model;

/**
 * Sums of squares in the order an eight-wide vector adds them: element {@code j} goes to lane
 * {@code j % 8}, the lanes are combined pairwise, then the elements past the last multiple of eight
 * are added in turn. A plain running sum is one chain of dependent additions that the JIT may not
 * reorder (that would change the rounding), so it runs an element at a time; in this order the Vector
 * API ({@code jdk.incubator.vector}) runs it eight at a time, about six times faster for a label's
 * goodness. Where that module is missing or the machine's vectors are narrower, eight scalar
 * accumulators keep the same order and give the same bits, so results never depend on which ran.
 *
 * <p>Used where a label's goodness is read (prediction and the scores hard negatives are drawn from);
 * the training step's own sums keep their running order, so the exact rule reproduces earlier runs.
 */
public final class LaneSums {
    static final int LANES = 8;
    private static final boolean VECTORS = vectorsUsable();

    private LaneSums() {
    }

    /** {@code Vector API} or {@code scalar}: what computes the sums in this JVM (same results). */
    public static String implementation() {
        return VECTORS ? "Vector API" : "scalar";
    }

    /** {@code sum_j a[offset + j]^2} for {@code j < length}. */
    static float squares(float[] a, int offset, int length) {
        return VECTORS ? VectorLaneSums.squares(a, offset, length) : scalarSquares(a, offset, length);
    }

    /**
     * {@code sum_j max((products[p + j] + column[c + j]) * scale + bias[b + j], 0)^2}: the squares of a
     * first-layer row's activities under one label, without storing the activities.
     */
    static float shiftedReluSquares(float[] products, int p, float[] column, int c, float scale,
                                    float[] bias, int b, int length) {
        return VECTORS ? VectorLaneSums.shiftedReluSquares(products, p, column, c, scale, bias, b, length)
                : scalarShiftedReluSquares(products, p, column, c, scale, bias, b, length);
    }

    static float scalarSquares(float[] a, int offset, int length) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        float s4 = 0;
        float s5 = 0;
        float s6 = 0;
        float s7 = 0;
        int end = offset + length - length % LANES;
        for (int j = offset; j < end; j += LANES) {
            s0 += a[j] * a[j];
            s1 += a[j + 1] * a[j + 1];
            s2 += a[j + 2] * a[j + 2];
            s3 += a[j + 3] * a[j + 3];
            s4 += a[j + 4] * a[j + 4];
            s5 += a[j + 5] * a[j + 5];
            s6 += a[j + 6] * a[j + 6];
            s7 += a[j + 7] * a[j + 7];
        }
        float sum = combine(s0, s1, s2, s3, s4, s5, s6, s7);
        for (int j = end; j < offset + length; j++) {
            sum += a[j] * a[j];
        }
        return sum;
    }

    static float scalarShiftedReluSquares(float[] products, int p, float[] column, int c, float scale,
                                          float[] bias, int b, int length) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        float s4 = 0;
        float s5 = 0;
        float s6 = 0;
        float s7 = 0;
        int body = length - length % LANES;
        for (int j = 0; j < body; j += LANES) {
            float h0 = shiftedRelu(products[p + j], column[c + j], scale, bias[b + j]);
            float h1 = shiftedRelu(products[p + j + 1], column[c + j + 1], scale, bias[b + j + 1]);
            float h2 = shiftedRelu(products[p + j + 2], column[c + j + 2], scale, bias[b + j + 2]);
            float h3 = shiftedRelu(products[p + j + 3], column[c + j + 3], scale, bias[b + j + 3]);
            float h4 = shiftedRelu(products[p + j + 4], column[c + j + 4], scale, bias[b + j + 4]);
            float h5 = shiftedRelu(products[p + j + 5], column[c + j + 5], scale, bias[b + j + 5]);
            float h6 = shiftedRelu(products[p + j + 6], column[c + j + 6], scale, bias[b + j + 6]);
            float h7 = shiftedRelu(products[p + j + 7], column[c + j + 7], scale, bias[b + j + 7]);
            s0 += h0 * h0;
            s1 += h1 * h1;
            s2 += h2 * h2;
            s3 += h3 * h3;
            s4 += h4 * h4;
            s5 += h5 * h5;
            s6 += h6 * h6;
            s7 += h7 * h7;
        }
        float sum = combine(s0, s1, s2, s3, s4, s5, s6, s7);
        for (int j = body; j < length; j++) {
            float h = shiftedRelu(products[p + j], column[c + j], scale, bias[b + j]);
            sum += h * h;
        }
        return sum;
    }

    static float shiftedRelu(float product, float column, float scale, float bias) {
        return Math.max((product + column) * scale + bias, 0f);
    }

    static float combine(float s0, float s1, float s2, float s3, float s4, float s5, float s6, float s7) {
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    private static boolean vectorsUsable() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            return VectorLaneSums.nativelyWide();
        } catch (LinkageError e) {
            return false;
        }
    }
}
