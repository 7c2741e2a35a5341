package org.ffspark.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ffspark.wire.Bfloat16;
import org.junit.jupiter.api.Test;

/** oneDNN's bfloat16 products: the exact sums of the rounded operands, whatever the thread count. */
class Bf16ProductsTest {
    private static float[] gaussian(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextGaussian();
        }
        return a;
    }

    @Test
    void theTestJvmCanRunThem() {
        assertEquals("", Bf16Products.unavailableReason());
        assertTrue(Bf16Products.library().startsWith("oneDNN 3."), Bf16Products.library());
    }

    @Test
    void aProductIsTheSumOfTheRoundedOperandsAndTheSameOnOneThreadOrTwo() {
        int rows = 37;
        int k = 301;
        int outputs = 250;
        int stride = 310; // a left block of a wider matrix
        float[] in = gaussian(rows * k, 1);
        float[] w = gaussian(outputs * stride, 2);
        float[] one = new float[rows * outputs];
        float[] two = new float[rows * outputs];
        try {
            ProductThreads.use(1);
            Bf16Products.timesTransposedWeights(in, rows, k, w, stride, outputs, one);
            ProductThreads.use(2);
            // Large enough to be split: 37 x 301 x 250 multiply-adds would not be.
            int bigRows = 200;
            float[] bigIn = gaussian(bigRows * k, 3);
            float[] bigOne = new float[bigRows * outputs];
            float[] bigTwo = new float[bigRows * outputs];
            Bf16Products.timesTransposedWeights(bigIn, bigRows, k, w, stride, outputs, bigTwo);
            ProductThreads.use(1);
            Bf16Products.timesTransposedWeights(bigIn, bigRows, k, w, stride, outputs, bigOne);
            assertArrayEquals(bigOne, bigTwo, "split between two threads or not, the same bits");
            Bf16Products.timesTransposedWeights(in, rows, k, w, stride, outputs, two);
        } finally {
            ProductThreads.use(1);
        }
        assertArrayEquals(one, two);
        double largestError = 0;
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < outputs; o++) {
                double exact = 0;
                double scale = 0;
                for (int j = 0; j < k; j++) {
                    double x = bf16(in[r * k + j]) * (double) bf16(w[o * stride + j]);
                    exact += x;
                    scale += Math.abs(x);
                }
                largestError = Math.max(largestError, Math.abs(one[r * outputs + o] - exact) / scale);
            }
        }
        // float32 sums of exact bfloat16 products: a few float32 roundings, far below bfloat16's 2^-9.
        assertTrue(largestError < 1e-5, "relative error " + largestError);
    }

    @Test
    void roundingIsToNearestTiesToEvenAndKeepsNotANumber() {
        assertEquals((short) 0x3f80, Bfloat16.round(1f));
        assertEquals((short) 0x3f80, Bfloat16.round(Float.intBitsToFloat(0x3f808000))); // tie: to even
        assertEquals((short) 0x3f82, Bfloat16.round(Float.intBitsToFloat(0x3f818000))); // tie: to even, up
        assertEquals((short) 0x3f81, Bfloat16.round(Float.intBitsToFloat(0x3f808001)));
        assertTrue(Float.isNaN(Float.intBitsToFloat(Bfloat16.round(Float.NaN) << 16)));
        float[] values = {1f, Float.intBitsToFloat(0x3f808000), Float.intBitsToFloat(0x3f818000), Float.NaN, -2.5e-3f,
            3e38f, -0f};
        float[] many = new float[48];
        for (int i = 0; i < many.length; i++) {
            many[i] = values[i % values.length];
        }
        java.nio.ByteBuffer vectors = java.nio.ByteBuffer.allocateDirect(2 * many.length)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        OneDnnProducts.round(many, 0, many.length, vectors, 0);
        for (int i = 0; i < many.length; i++) {
            assertEquals(Bfloat16.round(many[i]), vectors.getShort(2 * i), "value " + many[i]);
        }
    }

    private static float bf16(float v) {
        return Float.intBitsToFloat(Bfloat16.round(v) << 16);
    }
}
