package org.ffspark.train;

import org.ffspark.model.SimpleFFNetwork;

/** Told after every epoch; progress printing and metrics files plug in here instead of into the loop. */
public interface TrainingListener {
    void epochFinished(EpochMetrics metrics, SimpleFFNetwork network);
}
