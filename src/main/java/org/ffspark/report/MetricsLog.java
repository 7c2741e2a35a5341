package org.ffspark.report;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ffspark.model.SimpleFFNetwork;
import org.ffspark.train.EpochMetrics;
import org.ffspark.train.TrainingListener;

/**
 * {@code metrics.jsonl}: one JSON object per finished epoch. The whole file is rewritten after each
 * epoch (object stores cannot append), atomically, so it always holds complete lines only.
 */
public final class MetricsLog implements TrainingListener {
    private final RunOutput output;
    private final StringBuilder lines = new StringBuilder();

    public MetricsLog(RunOutput output) {
        this.output = output;
    }

    @Override
    public void epochFinished(EpochMetrics metrics, SimpleFFNetwork network) {
        lines.append(Json.line(record(metrics))).append('\n');
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
