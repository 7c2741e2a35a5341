package org.ffspark.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ffspark.eval.ConfusionMatrix;
import org.ffspark.train.EpochMetrics;
import org.ffspark.train.EpochTiming;
import org.junit.jupiter.api.Test;

/** What a user waits for: the seconds until an accuracy is first measured. */
class RunSummaryTest {
    /** An epoch of {@code train} + {@code eval} seconds whose test accuracy is {@code accuracy} (NaN: not measured). */
    private static EpochMetrics epoch(int e, double accuracy, double train, double eval) {
        ConfusionMatrix test = null;
        if (!Double.isNaN(accuracy)) {
            test = new ConfusionMatrix(2);
            int right = (int) Math.round(accuracy * 1000);
            for (int i = 0; i < 1000; i++) {
                test.record(0, i < right ? 0 : 1);
            }
        }
        return new EpochMetrics(e, 6, new EpochMetrics.TrainingFigures(new double[] {1}, Double.NaN,
                new double[] {1}, new double[] {1}, null), new EpochMetrics.Evaluation(Double.NaN, test, 0),
                EpochTiming.NONE.withSeconds(train, eval));
    }

    @Test
    void theSecondsToAnAccuracyCountTrainingAndEvaluationUntilItIsFirstMeasured() {
        List<EpochMetrics> epochs = new ArrayList<>();
        double[] accuracy = {0.97, Double.NaN, 0.981, Double.NaN, 0.986, 0.985};
        for (int e = 0; e < accuracy.length; e++) {
            epochs.add(epoch(e + 1, accuracy[e], 10, Double.isNaN(accuracy[e]) ? 0 : 2));
        }
        Map<String, Double> reached = RunSummary.secondsToAccuracy(epochs, 0.985);
        assertEquals(Map.of("98.0%", 12.0 + 10 + 12, "98.5%", 12.0 + 10 + 12 + 10 + 12, "final", 56.0), reached);
        assertEquals(Map.of(), RunSummary.secondsToAccuracy(epochs.subList(0, 1), 0.97).entrySet().stream()
                .filter(e -> !e.getKey().equals("final")).collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                        Map.Entry::getValue)));
    }
}
