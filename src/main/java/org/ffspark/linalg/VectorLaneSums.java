package org.ffspark.linalg;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link LaneSums} on the Vector API; loaded only when {@code jdk.incubator.vector} is in the boot
 * layer (the launch scripts and the test JVMs add it), so nothing else depends on the module.
 */
final class VectorLaneSums {
    // Every float vector in the process is eight wide, the element-wise passes' too though they have no
    // order to keep: where one operation (FloatVector.add, say) sees vectors of two sizes, C2 may compile
    // it for either through a type check and then box every vector, a hundred times slower (seen on the
    // notebook's shapes).
    private static final VectorSpecies<Float> EIGHT = FloatVector.SPECIES_256;
    private static final VectorSpecies<Integer> EIGHT_INTS = IntVector.SPECIES_256;

    private VectorLaneSums() {
    }

    /** Whether eight-float vectors are native here; emulated ones would be far slower than scalar. */
    static boolean nativelyWide() {
        return FloatVector.SPECIES_PREFERRED.length() >= LaneSums.LANES;
    }

    static float squares(float[] a, int offset, int length) {
        FloatVector lanes = FloatVector.zero(EIGHT);
        int body = length - length % LaneSums.LANES;
        for (int j = 0; j < body; j += LaneSums.LANES) {
            FloatVector v = FloatVector.fromArray(EIGHT, a, offset + j);
            lanes = lanes.add(v.mul(v));
        }
        float sum = combine(lanes);
        for (int j = body; j < length; j++) {
            float v = a[offset + j];
            sum += v * v;
        }
        return sum;
    }

    static float shiftedReluSquares(float[] products, int p, float[] column, int c, float scale,
                                    float[] bias, int b, int length) {
        FloatVector zero = FloatVector.zero(EIGHT);
        FloatVector lanes = zero;
        int body = length - length % LaneSums.LANES;
        for (int j = 0; j < body; j += LaneSums.LANES) {
            FloatVector h = FloatVector.fromArray(EIGHT, products, p + j)
                    .add(FloatVector.fromArray(EIGHT, column, c + j))
                    .mul(scale)
                    .add(FloatVector.fromArray(EIGHT, bias, b + j))
                    .max(zero);
            lanes = lanes.add(h.mul(h));
        }
        float sum = combine(lanes);
        for (int j = body; j < length; j++) {
            float h = LaneSums.shiftedRelu(products[p + j], column[c + j], scale, bias[b + j]);
            sum += h * h;
        }
        return sum;
    }

    static void addScaled(float d, float[] x, int xo, float[] y, int yo, int length) {
        int body = length - length % LaneSums.LANES;
        FloatVector scale = FloatVector.broadcast(EIGHT, d);
        for (int i = 0; i < body; i += LaneSums.LANES) {
            FloatVector.fromArray(EIGHT, x, xo + i).mul(scale)
                    .add(FloatVector.fromArray(EIGHT, y, yo + i))
                    .intoArray(y, yo + i);
        }
        for (int i = body; i < length; i++) {
            y[yo + i] += d * x[xo + i];
        }
    }

    static void addBiasRelu(float[] z, int o, float[] bias, int b, int length, int[] bits) {
        int body = EIGHT.loopBound(length);
        int j = 0;
        for (; j < body; j += EIGHT.length()) {
            FloatVector v = FloatVector.fromArray(EIGHT, z, o + j).add(FloatVector.fromArray(EIGHT, bias, b + j))
                    .max(0f);
            v.intoArray(z, o + j);
            orBits(v, bits, j);
        }
        LaneSums.scalarAddBiasRelu(z, o, bias, b, j, length, bits);
    }

    static void shiftedRelu(float[] products, int p, float[] column, int c, float scale, float[] bias, int b,
                            float[] out, int o, int length, int[] bits) {
        int body = EIGHT.loopBound(length);
        int j = 0;
        for (; j < body; j += EIGHT.length()) {
            FloatVector v = FloatVector.fromArray(EIGHT, products, p + j)
                    .add(FloatVector.fromArray(EIGHT, column, c + j))
                    .mul(scale)
                    .add(FloatVector.fromArray(EIGHT, bias, b + j))
                    .max(0f);
            v.intoArray(out, o + j);
            orBits(v, bits, j);
        }
        LaneSums.scalarShiftedRelu(products, p, column, c, scale, bias, b, out, o, j, length, bits);
    }

    private static void orBits(FloatVector v, int[] bits, int j) {
        if (bits != null) {
            v.reinterpretAsInts().or(IntVector.fromArray(EIGHT_INTS, bits, j)).intoArray(bits, j);
        }
    }

    // LaneSums.combine's order; reduceLanes leaves its order unspecified.
    private static float combine(FloatVector lanes) {
        return LaneSums.combine(lanes.lane(0), lanes.lane(1), lanes.lane(2), lanes.lane(3), lanes.lane(4),
                lanes.lane(5), lanes.lane(6), lanes.lane(7));
    }
}
