package org.ffspark.linalg;

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
