package org.ffspark.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OuterOptimizerTest {
    @Test
    void nesterovStepsAlongTheCopiesAveragedChangeWithMomentum() {
        OuterOptimizer outer = new OuterOptimizer(new OuterSettings(OuterSettings.Kind.NESTEROV, 0.7, 0.9),
                new int[] {1});
        float[] p = {1f};
        // d = 1 - 0.8 = 0.2; v = 0.2; p = 1 - 0.7 * (0.2 + 0.9 * 0.2) = 0.734
        outer.merge(0, p, new float[] {0.8f});
        assertEquals(0.734, p[0], 1e-6);
        assertEquals(0.2, outer.state()[0][0], 1e-6);
        // d = 0.734 - 0.634 = 0.1; v = 0.9 * 0.2 + 0.1 = 0.28; p = 0.734 - 0.7 * (0.1 + 0.9 * 0.28) = 0.4876
        outer.merge(0, p, new float[] {0.634f});
        assertEquals(0.4876, p[0], 1e-6);
        assertEquals(0.28, outer.state()[0][0], 1e-6);
    }

    @Test
    void averagingTakesTheAverageAndKeepsNoState() {
        OuterOptimizer outer = new OuterOptimizer(OuterSettings.AVERAGE, new int[] {3, 2});
        float[] p = {1f, 2f, 3f};
        outer.merge(0, p, new float[] {0.5f, -1f, 7f});
        assertArrayEquals(new float[] {0.5f, -1f, 7f}, p);
        assertEquals(0, outer.state().length);
    }

    @Test
    void nesterovWithRateOneAndNoMomentumIsAveraging() {
        OuterOptimizer outer = new OuterOptimizer(new OuterSettings(OuterSettings.Kind.NESTEROV, 1, 0),
                new int[] {2});
        float[] p = {0.25f, -3f};
        outer.merge(0, p, new float[] {0.125f, 4f});
        assertArrayEquals(new float[] {0.125f, 4f}, p);
    }
}
