package org.ffspark.report;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.ffspark.store.RunOutput;
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
            lines.append(Json.line(m.record())).append('\n');
        }
        output.write(RunOutput.METRICS, lines.toString().getBytes(StandardCharsets.UTF_8));
    }

}
