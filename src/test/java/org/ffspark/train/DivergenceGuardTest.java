package org.ffspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.ffspark.eval.ConfusionMatrix;
import org.ffspark.model.GoodnessRule;
import org.ffspark.model.SimpleFFNetwork;
import org.junit.jupiter.api.Test;

class DivergenceGuardTest {
    private final SimpleFFNetwork net = SimpleFFNetwork.initialize(784, 10, new int[] {20, 10}, GoodnessRule.PAPER, 1);

    private static EpochMetrics epoch(int e, double loss, double accuracy) {
        ConfusionMatrix m = new ConfusionMatrix(10);
        for (int i = 0; i < 100; i++) {
            m.record(i % 10, i < accuracy * 100 ? i % 10 : (i + 1) % 10);
        }
        return new EpochMetrics(e, 10, new EpochMetrics.TrainingFigures(new double[] {0.5, loss}, Double.NaN,
                new double[] {1, 1}, new double[] {1, 1}, null), new EpochMetrics.Evaluation(accuracy, m, accuracy),
                EpochTiming.NONE);
    }

    @Test
    void anExplodedLossStopsTheRunNamingTheLayer() {
        DivergenceGuard guard = new DivergenceGuard(net, new PrintStream(new ByteArrayOutputStream()), "");
        guard.epochFinished(epoch(1, 1.3, 0.5), null);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> guard.epochFinished(epoch(2, 3e18, 0.098), null));
        assertEquals("training diverged: the loss of layer 2 reached 3.00e+18 at epoch 2 (try a lower lr)",
                e.getMessage());
    }

    @Test
    void accuracyAtChanceIsWarnedOfOnce() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DivergenceGuard guard = new DivergenceGuard(net, new PrintStream(out, true, StandardCharsets.UTF_8), "");
        guard.epochFinished(epoch(1, 1.3, 0.1), null); // the first epoch may still be at chance
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        guard.epochFinished(epoch(2, 1.3, 0.1), null);
        guard.epochFinished(epoch(3, 1.3, 0.1), null);
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("warning: test accuracy 10.00% after epoch 2 is chance (10%)"), printed);
        assertEquals(1, printed.split("\n").length, "warned once");
    }
}
