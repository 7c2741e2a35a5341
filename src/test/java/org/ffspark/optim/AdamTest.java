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
        Adam adam = new Adam(OptimizerSettings.adam(0.1), 1);
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
        Adam adam = new Adam(OptimizerSettings.adam(0.1), 1);
        float[] p = {1f};
        adam.step(p, new float[] {0.5f});
        adam.setLearningRate(0.05);
        adam.step(p, new float[] {-1f});
        assertEquals(0.9 + (0.9366103542 - 0.9) / 2, p[0], 1e-6);
        assertEquals(0.05, adam.learningRate(), 0);
    }

    @Test
    void eachParameterHasItsOwnMoments() {
        Adam adam = new Adam(OptimizerSettings.NOTEBOOK, 3);
        float[] p = {0f, 0f, 0f};
        adam.step(p, new float[] {1f, -2f, 0f});
        assertEquals(-0.03, p[0], 1e-6);
        assertEquals(0.03, p[1], 1e-6);
        assertEquals(0.0, p[2], 0.0);
    }

    @Test
    void stepAndClearStepsAlikeAndLeavesTheGradientZero() {
        Adam plain = new Adam(OptimizerSettings.NOTEBOOK, 3);
        Adam clearing = new Adam(OptimizerSettings.NOTEBOOK, 3);
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
        Adam adam = new Adam(OptimizerSettings.NOTEBOOK, 2);
        assertFalse(adam.step(new float[] {1f, Float.NaN}, new float[] {0.1f, 0.1f}));
        assertFalse(adam.step(new float[] {Float.POSITIVE_INFINITY, 0f}, new float[] {0.1f, 0.1f}));
        assertTrue(adam.step(new float[] {1f, 0f}, new float[] {0.1f, 0.1f}));
        assertTrue(Optimizer.allFinite(new float[] {Float.MAX_VALUE, -Float.MAX_VALUE, 0f}));
        assertFalse(Optimizer.allFinite(new float[] {0f, Float.NEGATIVE_INFINITY}));
    }

    @Test
    void weightDecayIsAddedToTheGradientAsPyTorchAddsIt() {
        // With decay 0.5, p = 1 and g = 0: the step sees g = 0.5 and moves p by lr, as plain Adam with g = 0.5.
        Adam decayed = new Adam(OptimizerSettings.adam(0.1).with(0.1, 0.5), 1);
        Adam plain = new Adam(OptimizerSettings.adam(0.1), 1);
        float[] p = {1f};
        float[] q = {1f};
        decayed.step(p, new float[] {0f});
        plain.step(q, new float[] {0.5f});
        assertEquals(q[0], p[0], 1e-7);
    }

    @Test
    void sgdWithMomentumMatchesTheHandWorkedPyTorchSteps() {
        // lr 0.1, momentum 0.9, decay 0.01, p = 1: g1 = 0.5 + 0.01 = 0.51, v = 0.51, p = 0.949;
        // g2 = -1 + 0.00949 = -0.99051, v = 0.9 * 0.51 - 0.99051 = -0.53151, p = 0.949 + 0.053151 = 1.002151
        Optimizer sgd = Optimizer.create(new OptimizerSettings(OptimizerSettings.Kind.SGD, 0.1, 0.9, 0.999, 1e-8,
                0.9, 0.01), 1);
        float[] p = {1f};
        sgd.step(p, new float[] {0.5f});
        assertEquals(0.949, p[0], 1e-6);
        sgd.step(p, new float[] {-1f});
        assertEquals(1.002151, p[0], 1e-6);
        assertArrayEquals(new float[] {-0.53151f}, sgd.firstMoment(), 1e-6f);
        assertEquals(0, sgd.secondMoment().length, "SGD keeps one state array");
        Optimizer again = Optimizer.create(sgd.settings(), 1);
        again.restore(sgd.firstMoment(), sgd.secondMoment(), sgd.steps());
        float[] q = p.clone();
        sgd.step(p, new float[] {0.25f});
        again.step(q, new float[] {0.25f});
        assertArrayEquals(p, q, "a restored optimizer continues exactly");
    }
}
