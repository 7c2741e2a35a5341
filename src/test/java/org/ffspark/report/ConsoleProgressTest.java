package org.ffspark.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.ffspark.eval.ConfusionMatrix;
import org.ffspark.train.EpochMetrics;
import org.ffspark.train.EpochTiming;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {
    private static EpochMetrics epoch(int e, int of, double seconds) {
        ConfusionMatrix m = new ConfusionMatrix(10);
        m.record(1, 1);
        return new EpochMetrics(e, of, new EpochMetrics.TrainingFigures(new double[] {0.5}, Double.NaN,
                new double[] {2}, new double[] {0.5}, null), new EpochMetrics.Evaluation(0.9, m, 1),
                EpochTiming.NONE.withSeconds(seconds - 1, 1));
    }

    @Test
    void etaOfAResumedRunCountsOnlyTheEpochsItTimed() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgress progress = new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), "");
        progress.epochFinished(epoch(21, 60, 50), null); // resumed after epoch 20
        progress.epochFinished(epoch(22, 60, 50), null);
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("epoch 21/60") && text.contains("ETA 32m30s"), text); // 39 epochs x 50 s
        assertTrue(text.contains("epoch 22/60") && text.contains("ETA 31m40s"), text); // 38 x 50 s
    }
}
