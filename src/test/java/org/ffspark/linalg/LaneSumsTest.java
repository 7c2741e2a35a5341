package org.ffspark.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LaneSumsTest {
    private static float[] gaussian(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (random.nextGaussian() * 3);
        }
        return a;
    }

    @Test
    void vectorAndScalarSumsAreBitEqualForEveryTailLength() {
        float[] a = gaussian(900, 1);
        float[] column = gaussian(900, 2);
        float[] bias = gaussian(900, 3);
        for (int length : new int[] {0, 1, 7, 8, 9, 15, 16, 17, 63, 500, 784, 799}) {
            for (int offset : new int[] {0, 3, 100}) {
                float scalar = LaneSums.scalarSquares(a, offset, length);
                assertEquals(Float.floatToRawIntBits(scalar), Float.floatToRawIntBits(VectorLaneSums.squares(a, offset, length)),
                        "squares, length " + length + " offset " + offset);
                float scalarRelu = LaneSums.scalarShiftedReluSquares(a, offset, column, 5, 0.37f, bias, offset / 2, length);
                float vectorRelu = VectorLaneSums.shiftedReluSquares(a, offset, column, 5, 0.37f, bias, offset / 2, length);
                assertEquals(Float.floatToRawIntBits(scalarRelu), Float.floatToRawIntBits(vectorRelu),
                        "shifted ReLU squares, length " + length + " offset " + offset);
            }
        }
    }

    @Test
    void vectorAndScalarReluPassesAreBitEqualAndMarkEveryLitColumn() {
        float[] z = gaussian(900, 6);
        z[10] = Float.NaN;
        z[11] = -0f;
        float[] column = gaussian(900, 7);
        float[] bias = gaussian(900, 8);
        for (int length : new int[] {0, 1, 15, 16, 17, 33, 500, 799}) {
            for (int offset : new int[] {0, 5}) {
                float[] scalar = z.clone();
                float[] vector = z.clone();
                int[] scalarBits = new int[length];
                int[] vectorBits = new int[length];
                LaneSums.scalarAddBiasRelu(scalar, offset, bias, 3, 0, length, scalarBits);
                VectorLaneSums.addBiasRelu(vector, offset, bias, 3, length, vectorBits);
                assertArrayEquals(bitsOf(scalar), bitsOf(vector), "bias and ReLU, length " + length);
                assertArrayEquals(scalarBits, vectorBits, "column bits, length " + length);
                for (int j = 0; j < length; j++) {
                    float v = scalar[offset + j];
                    assertTrue(!(v < 0f) && Float.floatToRawIntBits(v) != 0x80000000, "no negative output");
                    assertEquals(v != 0f || Float.isNaN(v), scalarBits[j] != 0, "bit of column " + j);
                }
                float[] scalarOut = new float[900];
                float[] vectorOut = new float[900];
                LaneSums.scalarShiftedRelu(z, offset, column, 2, 0.37f, bias, 1, scalarOut, 4, 0, length, scalarBits);
                VectorLaneSums.shiftedRelu(z, offset, column, 2, 0.37f, bias, 1, vectorOut, 4, length, vectorBits);
                assertArrayEquals(bitsOf(scalarOut), bitsOf(vectorOut), "shifted ReLU, length " + length);
                assertArrayEquals(scalarBits, vectorBits, "shifted ReLU's column bits, length " + length);
            }
        }
    }

    @Test
    void activeColumnsFromTheBitsAreTheOnesFound() {
        int rows = 7;
        int width = 40;
        float[] a = gaussian(rows * width, 9);
        float[] bias = new float[width];
        int[] bits = new int[width];
        for (int r = 0; r < rows; r++) {
            LaneSums.addBiasRelu(a, r * width, bias, 0, width, bits);
        }
        for (int k = 0; k < width; k += 3) { // some columns all zero
            for (int r = 0; r < rows; r++) {
                a[r * width + k] = 0f;
            }
            bits[k] = 0;
        }
        ActiveColumns found = new ActiveColumns();
        ActiveColumns fromBits = new ActiveColumns();
        assertEquals(found.find(a, rows, width, 1.0), fromBits.fromBits(bits, width, 1.0));
        assertEquals(found.count(), fromBits.count());
        assertArrayEquals(found.packRows(a, rows, width).clone(), fromBits.packRows(a, rows, width).clone());
        assertTrue(fromBits.count() < width && fromBits.count() > 0);
    }

    private static int[] bitsOf(float[] a) {
        int[] bits = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            bits[i] = Float.floatToRawIntBits(a[i]);
        }
        return bits;
    }

    @Test
    void sumsMatchDoublePrecision() {
        float[] a = gaussian(1000, 4);
        float[] column = gaussian(1000, 5);
        float[] bias = gaussian(1000, 6);
        double squares = 0;
        double reluSquares = 0;
        for (int j = 0; j < 997; j++) {
            squares += (double) a[j] * a[j];
            double h = Math.max(((double) a[j] + column[j]) * 0.5 + bias[j], 0);
            reluSquares += h * h;
        }
        assertEquals(squares, LaneSums.squares(a, 0, 997), squares * 1e-5);
        assertEquals(reluSquares, LaneSums.shiftedReluSquares(a, 0, column, 0, 0.5f, bias, 0, 997), reluSquares * 1e-5);
    }

    @Test
    void aNonFiniteValueMakesTheSumNonFinite() {
        float[] a = gaussian(40, 7);
        a[21] = Float.NaN;
        assertTrue(Float.isNaN(LaneSums.squares(a, 0, 40)));
        assertTrue(Float.isNaN(LaneSums.scalarSquares(a, 0, 40)));
        float[] zeros = new float[40];
        assertTrue(Float.isNaN(LaneSums.shiftedReluSquares(a, 0, zeros, 0, 1f, zeros, 0, 40)));
        a[21] = Float.POSITIVE_INFINITY;
        assertEquals(Float.POSITIVE_INFINITY, LaneSums.squares(a, 0, 40));
    }

    @Test
    void theTestJvmHasTheVectorModuleAndUsesIt() {
        // surefire adds jdk.incubator.vector, as the launch scripts do; on a machine with 256-bit
        // vectors the sums run on it.
        boolean wide = VectorLaneSums.nativelyWide();
        assertEquals(wide ? "Vector API" : "scalar", LaneSums.implementation());
    }
}
