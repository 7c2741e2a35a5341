package org.ffspark.train;

import java.util.function.BooleanSupplier;
import org.apache.spark.api.java.JavaSparkContext;
import org.ffspark.FfsparkException;

/**
 * The Spark side of a training run: its context, the label its jobs carry in Spark's UI (to tell
 * concurrent runs of a grid apart), and the cancellation it obeys before every job: a run is many short
 * jobs, so cancelling the job that happens to be running is not enough to stop it.
 */
record TrainingJobs(JavaSparkContext sc, String label, BooleanSupplier cancelled) {
    /** Names the next jobs in Spark's UI. */
    void describe(String what) {
        sc.setJobDescription(label + what);
    }

    /** Stops the run, before step {@code step} (0-based) of {@code epoch}, if it was cancelled. */
    void checkNotCancelled(int epoch, int step) {
        if (cancelled.getAsBoolean()) {
            throw new FfsparkException(label + "cancelled at epoch " + epoch + " step " + (step + 1));
        }
    }
}
