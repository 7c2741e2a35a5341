package org.ffspark.train;

/** Told after every epoch; progress printing, metrics files and checkpoints plug in here instead of into the loop. */
public interface TrainingListener {
    void epochFinished(EpochMetrics metrics, TrainingState state);
}
