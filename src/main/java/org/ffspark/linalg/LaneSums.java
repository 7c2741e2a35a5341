package org.ffspark.linalg;

/**
 * Sums of squares in the order an eight-wide vector adds them: element {@code j} goes to lane
 * {@code j % 8}, the lanes are combined pairwise, then the elements past the last multiple of eight
 * are added in turn. A plain running sum is one chain of dependent additions that the JIT may not
 * reorder (that would change the rounding), so it runs an element at a time; in this order the Vector
 * API ({@code jdk.incubator.vector}) runs it eight at a time, about six times faster for a label's
 * goodness. Where that module is missing or the machine's vectors are narrower, eight scalar
 * accumulators keep the same order and give the same bits, so results never depend on which ran.
 *
 * <p>Every goodness and every row length of both models is summed this way: the training step's
 * losses and normalisations, prediction, and the scores hard negatives are drawn from. The sparse
 * products' scaled row additions ({@link #addScaled}) go through the same gate.
 */
public final class LaneSums {
    static final int LANES = 8;
    private static final boolean VECTORS = vectorsUsable();
    // The scalar path stores a row's activities once and sums them as squares() does.
    private static final ThreadLocal<float[]> ACTIVITIES = ThreadLocal.withInitial(() -> new float[0]);

    private LaneSums() {
    }

    /** {@code Vector API} or {@code scalar}: what computes the sums in this JVM (same results). */
    public static String implementation() {
        return VECTORS ? "Vector API" : "scalar";
    }

    /** {@code sum_j a[offset + j]^2} for {@code j < length}. */
    public static float squares(float[] a, int offset, int length) {
        return VECTORS ? VectorLaneSums.squares(a, offset, length) : scalarSquares(a, offset, length);
    }

    /**
     * {@code sum_j max((products[p + j] + column[c + j]) * scale + bias[b + j], 0)^2}: the squares of a
     * first-layer row's activities under one label, without storing the activities.
     */
    public static float shiftedReluSquares(float[] products, int p, float[] column, int c, float scale,
                                    float[] bias, int b, int length) {
        return VECTORS ? VectorLaneSums.shiftedReluSquares(products, p, column, c, scale, bias, b, length)
                : scalarShiftedReluSquares(products, p, column, c, scale, bias, b, length);
    }

    /**
     * {@code y[yo + i] += d * x[xo + i]} for {@code i < length}: the step of the sparse products
     * ({@link SparseRows}). Element-wise, a multiplication then an addition, so vectors and scalar code
     * give the same bits; the JIT does not vectorise it itself, since {@code x} and {@code y} may be the
     * same array.
     */
    public static void addScaled(float d, float[] x, int xo, float[] y, int yo, int length) {
        if (VECTORS) {
            VectorLaneSums.addScaled(d, x, xo, y, yo, length);
        } else {
            for (int i = 0; i < length; i++) {
                y[yo + i] += d * x[xo + i];
            }
        }
    }

    /**
     * {@code z[o + j] = max(z[o + j] + bias[b + j], 0)} for {@code j < length}, ReLU over a row of
     * products; when {@code bits} is not null each result's bits are ORed into {@code bits[j]}, so a
     * column whose bits stay 0 held only zeros ({@link ActiveColumns#fromBits}). Element-wise: vectors
     * and scalar code give the same bits (C2 does not vectorise {@code Math.max} on floats by itself).
     */
    public static void addBiasRelu(float[] z, int o, float[] bias, int b, int length, int[] bits) {
        if (VECTORS) {
            VectorLaneSums.addBiasRelu(z, o, bias, b, length, bits);
        } else {
            scalarAddBiasRelu(z, o, bias, b, 0, length, bits);
        }
    }

    /** {@link #addBiasRelu} from element {@code from} on, one at a time (also the vectors' tail). */
    static void scalarAddBiasRelu(float[] z, int o, float[] bias, int b, int from, int length, int[] bits) {
        for (int j = from; j < length; j++) {
            float v = Math.max(z[o + j] + bias[b + j], 0f);
            z[o + j] = v;
            if (bits != null) {
                bits[j] |= Float.floatToRawIntBits(v);
            }
        }
    }

    /**
     * {@code out[o + j] = max((products[p + j] + column[c + j]) * scale + bias[b + j], 0)}: a first-layer
     * row's activities under one label, stored, with their bits ORed into {@code bits} as in
     * {@link #addBiasRelu}.
     */
    public static void shiftedRelu(float[] products, int p, float[] column, int c, float scale, float[] bias,
                                   int b, float[] out, int o, int length, int[] bits) {
        if (VECTORS) {
            VectorLaneSums.shiftedRelu(products, p, column, c, scale, bias, b, out, o, length, bits);
        } else {
            scalarShiftedRelu(products, p, column, c, scale, bias, b, out, o, 0, length, bits);
        }
    }

    /** {@link #shiftedRelu} from element {@code from} on, one at a time (also the vectors' tail). */
    static void scalarShiftedRelu(float[] products, int p, float[] column, int c, float scale, float[] bias, int b,
                                  float[] out, int o, int from, int length, int[] bits) {
        for (int j = from; j < length; j++) {
            float v = shiftedRelu(products[p + j], column[c + j], scale, bias[b + j]);
            out[o + j] = v;
            if (bits != null) {
                bits[j] |= Float.floatToRawIntBits(v);
            }
        }
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
        float[] activities = ACTIVITIES.get();
        if (activities.length < length) {
            activities = new float[length];
            ACTIVITIES.set(activities);
        }
        for (int j = 0; j < length; j++) {
            activities[j] = shiftedRelu(products[p + j], column[c + j], scale, bias[b + j]);
        }
        return scalarSquares(activities, 0, length);
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
