package org.ffspark.config;

import java.util.List;
import java.util.Locale;
import org.ffspark.optim.OuterSettings;
import org.ffspark.train.Sync;

/** The {@code sync} key and the keys of local steps that go with it, read and checked together. */
final class SyncReader {
    private SyncReader() {
    }

    /** {@code sync} and, for local steps, how the copies merge and start their rounds. */
    static Sync read(Settings s) {
        String text = s.text("sync").trim();
        Sync.Mode mode;
        Integer k;
        if (text.equals("epoch") || text.equals("local")) {
            mode = text.equals("local") ? Sync.Mode.LOCAL : Sync.Mode.ROUNDS;
            k = Sync.PER_EPOCH;
        } else {
            mode = text.startsWith("local:") ? Sync.Mode.LOCAL : Sync.Mode.ROUNDS;
            k = TrainingConfigReader.countAfter(text, mode == Sync.Mode.LOCAL ? "local:" : "every:", 1, TrainingConfigReader.MAX_SYNC_STEPS);
        }
        if (k == null) {
            throw s.invalid("sync", "must be every:K or local:K with K from 1 to " + TrainingConfigReader.MAX_SYNC_STEPS + " (e.g. every:1 "
                    + "or local:50), epoch, or local, got '" + text + "'");
        }
        OuterSettings.Kind kind = OuterSettings.Kind.valueOf(
                s.choice("outerOptimizer", List.of("average", "nesterov")).toUpperCase(Locale.ROOT));
        double outerLr = s.number("outerLr", 0, false, Double.POSITIVE_INFINITY);
        double outerMomentum = s.number("outerMomentum", 0, true, 1);
        boolean reset = s.choice("innerState", List.of("average", "reset")).equals("reset");
        int warmup = s.integer("localWarmup", 0, TrainingConfigReader.MAX_EPOCHS);
        // A key given where it does nothing is a mistake to point out.
        if (mode != Sync.Mode.LOCAL) {
            for (String key : ConfigKey.LOCAL_STEP_KEYS) {
                if (s.given(key)) {
                    throw s.invalid(key, "is for sync=local or local:K; sync=" + text + " averages its copies");
                }
            }
            return new Sync(mode, k, OuterSettings.AVERAGE, false, 0, false);
        }
        if (kind == OuterSettings.Kind.AVERAGE && (s.given("outerLr") || s.given("outerMomentum"))) {
            throw s.invalid(s.given("outerLr") ? "outerLr" : "outerMomentum",
                    "is for outerOptimizer=nesterov; outerOptimizer=average takes the copies' average as it is");
        }
        OuterSettings outer = kind == OuterSettings.Kind.AVERAGE ? OuterSettings.AVERAGE
                : new OuterSettings(kind, outerLr, outerMomentum);
        boolean half = s.choice("deltaPrecision", List.of("bfloat16", "float32")).equals("bfloat16");
        return new Sync(mode, k, outer, reset, warmup, half);
    }
}
