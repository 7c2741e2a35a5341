package org.ffspark.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SparseRowsTest {
    /** {@code rows x width}, about {@code perRow} nonzeros a row, the rest exact zeros as ReLU leaves them. */
    private static float[] sparse(int rows, int width, int perRow, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] a = new float[rows * width];
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < perRow; t++) {
                a[r * width + random.nextInt(width)] = (float) random.nextDouble(-1, 1);
            }
        }
        return a;
    }

    private static float[] dense(int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = (float) random.nextDouble(-1, 1);
        }
        return a;
    }

    @Test
    void gathersEveryNonzeroAndTurnsDownABlockDenserThanTheCut() {
        float[] a = sparse(20, 50, 3, 1);
        int nonzero = 0;
        for (float v : a) {
            nonzero += v != 0 ? 1 : 0;
        }
        SparseRows s = new SparseRows();
        assertTrue(s.gather(a, 20, 50, 0.1));
        assertEquals(nonzero, s.nonzeros());
        assertFalse(s.gather(a, 20, 50, (nonzero - 1) / 1000.0));
        assertFalse(s.gather(dense(1000, 2), 20, 50, 0.1));
    }

    @Test
    void productWithTheWeightsEqualsTheDenseOne() {
        int rows = 37;
        int k = 45;
        int outputs = 29;
        int stride = 48; // a left block of the weight matrix's columns, as layer 0's pixel block is
        int offset = 7; // a block after others, as the recurrent model's top-down weights are
        float[] in = sparse(rows, k, 4, 3);
        float[] weights = dense(offset + outputs * stride, 4);
        float[] expected = new float[rows * outputs];
        Gemm.timesTransposedWeightsAt(in, rows, k, weights, offset, stride, outputs, expected);
        SparseRows s = new SparseRows();
        assertTrue(s.gather(in, rows, k, 0.1));
        float[] actual = new float[rows * outputs];
        java.util.Arrays.fill(actual, 9f); // overwritten, not added to
        s.timesWeights(SparseRows.transpose(weights, offset, stride, outputs, k, new float[0]), outputs, actual);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5, "entry " + i);
        }
    }

    @Test
    void outerProductsAddTheDenseOnesToTheGradient() {
        int rows = 33;
        int outputs = 41;
        int k = 30;
        int stride = 35;
        int offset = 11;
        float[] deltas = sparse(rows, outputs, 3, 5);
        float[] in = dense(rows * k, 6);
        float[] expected = dense(offset + outputs * stride, 7);
        float[] actual = expected.clone();
        Gemm.addOuterProductsAt(deltas, rows, outputs, in, k, expected, offset, stride);
        SparseRows s = new SparseRows();
        assertTrue(s.gather(deltas, rows, outputs, 0.1));
        s.addOuterProducts(in, k, actual, offset, stride);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5, "entry " + i);
        }
    }

    @Test
    void aNotANumberIsKeptSoADivergedStepShows() {
        float[] deltas = new float[4 * 10];
        deltas[13] = Float.NaN;
        SparseRows s = new SparseRows();
        assertTrue(s.gather(deltas, 4, 10, 0.1));
        float[] grad = new float[10 * 3];
        s.addOuterProducts(dense(4 * 3, 8), 3, grad, 0, 3);
        assertTrue(Float.isNaN(grad[3 * 3]));
    }
}
