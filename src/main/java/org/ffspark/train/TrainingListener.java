package org.ffspark.train;

/**
 * Told of a run's progress; progress printing, metrics files and checkpoints plug in here instead of
 * into the loop.
 */
public interface TrainingListener {
    /** After every epoch, with its figures and the state to checkpoint. */
    void epochFinished(EpochMetrics metrics, TrainingState state);

    /** After every Spark job of an epoch's training: {@code step} of {@code steps} done, {@code samples} so far. */
    default void stepsDone(int epoch, int epochs, int step, int steps, long samples) {
    }
}
