package org.ffspark.report;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ffspark.train.EpochMetrics;
import org.ffspark.train.TrainingListener;
import org.ffspark.train.TrainingState;

/**
 * {@code metrics.jsonl}: one JSON object per finished epoch. The whole file is rewritten after each
 * epoch (object stores cannot append), atomically, so it always holds complete lines only.
 */
public final class MetricsLog implements TrainingListener {
    private final RunOutput output;

    public MetricsLog(RunOutput output) {
        this.output = output;
    }

    @Override
    public void epochFinished(EpochMetrics metrics, TrainingState state) {
        // From the whole history, so that a resumed run's file starts with the epochs done before.
        write(output, state.history());
    }

    public static void write(RunOutput output, List<EpochMetrics> history) {
        StringBuilder lines = new StringBuilder();
        for (EpochMetrics m : history) {
            lines.append(Json.line(record(m))).append('\n');
        }
        output.write(RunOutput.METRICS, lines.toString().getBytes(StandardCharsets.UTF_8));
    }

    public static Map<String, Object> record(EpochMetrics m) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("epoch", m.epoch());
        r.put("loss", m.loss());
        r.put("positiveGoodness", m.positiveGoodness());
        r.put("negativeGoodness", m.negativeGoodness());
        r.put("trainAccuracy", m.trainAccuracy());
        r.put("testAccuracy", m.testAccuracy());
        r.put("bestTestAccuracy", m.bestTestAccuracy());
        r.put("trainSeconds", m.trainSeconds());
        r.put("evalSeconds", m.evalSeconds());
        return r;
    }
}
