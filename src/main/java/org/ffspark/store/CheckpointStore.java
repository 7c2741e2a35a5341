package org.ffspark.store;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.ffspark.FfsparkException;
import org.ffspark.train.EpochMetrics;
import org.ffspark.train.TrainingListener;
import org.ffspark.train.TrainingState;

/**
 * Checkpoints in {@code out/checkpoints/}: {@code epoch-NNNN.ffc} every {@code every} epochs and after
 * the last, each written whole before it is renamed into place, so a crash mid-write leaves the
 * previous one intact; the newest {@value #KEEP} are kept. Resume takes the newest that reads back
 * complete and intact.
 */
public final class CheckpointStore implements TrainingListener {
    public static final String FOLDER = "checkpoints";
    static final int KEEP = 2;
    private static final String PATTERN = "epoch-\\d{4,}\\.ffc";

    private final RunOutput folder;
    private final int every;
    private final Map<String, String> fingerprint;
    private String lastWritten;

    public CheckpointStore(String out, Configuration hadoop, int every, Map<String, String> fingerprint) {
        this.folder = new RunOutput(new Path(out, FOLDER).toString(), hadoop);
        this.every = every;
        this.fingerprint = fingerprint;
    }

    @Override
    public void epochFinished(EpochMetrics metrics, TrainingState state) {
        boolean last = metrics.epoch() == metrics.epochs();
        if (!last && (every == 0 || metrics.epoch() % every != 0)) {
            return;
        }
        String name = String.format(Locale.ROOT, "epoch-%04d.ffc", metrics.epoch());
        folder.prepareDirectory();
        folder.write(name, new Checkpoint(state.snapshot(), fingerprint).toBytes());
        lastWritten = folder.path(name);
        List<String> all = folder.list(PATTERN);
        for (int i = 0; i < all.size() - KEEP; i++) {
            folder.delete(all.get(i));
        }
    }

    /** The path of the newest checkpoint this run wrote, or null. */
    public String lastWritten() {
        return lastWritten;
    }

    /**
     * The newest complete and intact checkpoint in {@code out}, or null if there is none; damaged
     * ones are reported and passed over.
     */
    public Checkpoint newest(PrintStream console) {
        List<String> names = folder.list(PATTERN);
        for (int i = names.size() - 1; i >= 0; i--) {
            String path = folder.path(names.get(i));
            try {
                Checkpoint checkpoint = Checkpoint.fromBytes(folder.read(names.get(i)), path);
                lastWritten = path;
                return checkpoint;
            } catch (FfsparkException e) {
                console.println("ffspark: skipping damaged checkpoint: " + e.getMessage());
            }
        }
        return null;
    }
}
