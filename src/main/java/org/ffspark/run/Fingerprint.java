package org.ffspark.run;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ffspark.FfsparkException;
import org.ffspark.config.ConfigKey;
import org.ffspark.config.Settings;
import org.ffspark.store.Checkpoint;
import org.ffspark.train.TrainingConfig;

/**
 * The settings a checkpoint must share with the run that resumes from it: every key the key table
 * marks as changing the trajectory ({@link ConfigKey.Effect#TRAJECTORY}), plus what the keys alone do
 * not pin down: the partitions actually used, the data's checksums and the subset rule.
 */
public final class Fingerprint {
    /** Names the subset rule in checkpoints: PyTorch's randperm under the seed (see LabeledImages). */
    static final String SUBSET_DRAW = "torch-randperm";

    private Fingerprint() {
    }

    public static Map<String, String> of(Settings settings, TrainingConfig config, int partitions,
                                         Map<String, String> dataSha256) {
        Map<String, String> f = ofSettings(settings, config);
        f.put("partitions", Integer.toString(partitions));
        f.put("data", String.join(",", dataSha256.values()));
        // How trainLimit/testLimit draw their images: checkpoints of an earlier draw must not resume.
        // A LIBSVM or Parquet subset is drawn by the IDX rule too, over the rows in file order (earlier
        // versions drew it otherwise): its checkpoints name that.
        boolean frameSubset = config.data().frame() != null
                && (config.data().trainLimit() > 0 || config.data().testLimit() > 0);
        f.put("subsetDraw", frameSubset ? SUBSET_DRAW + " of rows in file order" : SUBSET_DRAW);
        return f;
    }

    /** The part of the fingerprint the settings alone give, known before Spark starts. */
    public static Map<String, String> ofSettings(Settings settings, TrainingConfig config) {
        Map<String, String> f = new LinkedHashMap<>();
        for (ConfigKey key : ConfigKey.TRAINING) {
            if (key.effect() == ConfigKey.Effect.TRAJECTORY) {
                f.put(key.name(), settings.text(key.name()));
            }
        }
        // Spellings that mean the same: "500, 500" and "500,500", "1" and "1.0".
        f.put("hidden", config.hidden().toString());
        f.put("goodness", config.goodness().toString());
        if (!config.sync().local()) {
            // The keys of local steps change nothing here; checkpoints from before they existed resume.
            ConfigKey.LOCAL_STEP_KEYS.forEach(f::remove);
        }
        if (config.data().partitions() == 0) {
            f.remove("partitions"); // Spark's default parallelism: known, and checked, once Spark starts
        }
        return f;
    }

    /** Refuses a checkpoint written under another fingerprint, naming the first setting that differs. */
    public static void check(Checkpoint checkpoint, Map<String, String> fingerprint, String path) {
        Map<String, ConfigKey> keys = ConfigKey.byName(ConfigKey.TRAINING);
        for (Map.Entry<String, String> e : fingerprint.entrySet()) {
            String saved = checkpoint.fingerprint().get(e.getKey());
            ConfigKey key = keys.get(e.getKey());
            if (saved == null && key != null) {
                saved = key.defaultValue(); // a checkpoint from before the key existed ran with its default
            }
            if (!e.getValue().equals(saved)) {
                String what = e.getKey().equals("data") ? "other data files"
                        : e.getKey() + "=" + (saved == null ? "(an earlier ffspark's)" : saved);
                String now = e.getKey().equals("data") ? "these" : e.getValue();
                throw new FfsparkException("cannot resume from " + path + ": it was written with " + what
                        + ", this run has " + now + " (use another out, or overwrite=true to start again)");
            }
        }
    }
}
