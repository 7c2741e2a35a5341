package org.ffspark.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AdamTest {
    @Test
    void twoStepsMatchTheHandWorkedPyTorchArithmetic() {
        // p = 1, lr 0.1: step 1 with g = 0.5 moves p by lr (Adam's first step is lr * sign(g), less
        // eps's share); step 2 with g = -1: m = -0.055, v = 0.00124975, step size 0.1 / 0.19,
        // denominator sqrt(v) / sqrt(1 - 0.999^2) + 1e-8 = 0.790685..., p = 0.93661035...
        Adam adam = new Adam(new AdamSettings(0.1, 0.9, 0.999, 1e-8), 1);
        float[] p = {1f};
        adam.step(p, new float[] {0.5f});
        assertEquals(0.900000002, p[0], 1e-7);
        adam.step(p, new float[] {-1f});
        assertEquals(0.9366103542, p[0], 1e-6);
        assertEquals(2, adam.steps());
    }

    @Test
    void aNewLearningRateScalesTheNextStepsAndKeepsTheMoments() {
        // As above, with the rate halved before step 2: the same moments, half the move.
        Adam adam = new Adam(new AdamSettings(0.1, 0.9, 0.999, 1e-8), 1);
        float[] p = {1f};
        adam.step(p, new float[] {0.5f});
        adam.setLearningRate(0.05);
        adam.step(p, new float[] {-1f});
        assertEquals(0.9 + (0.9366103542 - 0.9) / 2, p[0], 1e-6);
        assertEquals(0.05, adam.learningRate(), 0);
    }

    @Test
    void eachParameterHasItsOwnMoments() {
        Adam adam = new Adam(AdamSettings.NOTEBOOK, 3);
        float[] p = {0f, 0f, 0f};
        adam.step(p, new float[] {1f, -2f, 0f});
        assertEquals(-0.03, p[0], 1e-6);
        assertEquals(0.03, p[1], 1e-6);
        assertEquals(0.0, p[2], 0.0);
    }

    @Test
    void stepAndClearStepsAlikeAndLeavesTheGradientZero() {
        Adam plain = new Adam(AdamSettings.NOTEBOOK, 3);
        Adam clearing = new Adam(AdamSettings.NOTEBOOK, 3);
        float[] p = {0.5f, -1f, 2f};
        float[] q = p.clone();
        for (int t = 0; t < 3; t++) {
            float[] g = {0.1f * t - 0.05f, 1f, -2f};
            plain.step(p, g.clone());
            clearing.stepAndClear(q, g);
            assertArrayEquals(new float[3], g);
        }
        assertArrayEquals(p, q);
        assertArrayEquals(plain.secondMoment(), clearing.secondMoment());
    }

    @Test
    void aNonFiniteParameterIsReported() {
        Adam adam = new Adam(AdamSettings.NOTEBOOK, 2);
        assertFalse(adam.step(new float[] {1f, Float.NaN}, new float[] {0.1f, 0.1f}));
        assertFalse(adam.step(new float[] {Float.POSITIVE_INFINITY, 0f}, new float[] {0.1f, 0.1f}));
        assertTrue(adam.step(new float[] {1f, 0f}, new float[] {0.1f, 0.1f}));
        assertTrue(Adam.allFinite(new float[] {Float.MAX_VALUE, -Float.MAX_VALUE, 0f}));
        assertFalse(Adam.allFinite(new float[] {0f, Float.NEGATIVE_INFINITY}));
    }
}
