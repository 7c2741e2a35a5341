package org.ffspark.train;

import java.util.List;
import org.apache.spark.broadcast.Broadcast;
import org.ffspark.model.FFNetwork;
import org.ffspark.optim.Optimizer;
import org.ffspark.optim.OuterOptimizer;

/**
 * One epoch of training as its steps see it: the driver's live network and optimizers, the data, the
 * epoch's seeded order of samples (broadcast), and the listeners told how far it has come.
 *
 * @param outer      the driver's merge of local steps' copies
 * @param number     1-based
 * @param steps      optimizer steps of the exact rule in the epoch
 * @param copySteps  optimizer steps each copy takes in the epoch: {@code steps}, or in local steps those
 *                   of the largest partition's own batches
 */
record Epoch(TrainingConfig config, FFNetwork network, Optimizer[] optimizers, OuterOptimizer outer,
             TrainingData data, Broadcast<int[]> order, int number, int steps, int copySteps,
             List<TrainingListener> listeners) {

    /** Tells the listeners that {@code done} of the epoch's steps, on {@code samples} samples, are done. */
    void stepsDone(int done, long samples) {
        for (TrainingListener listener : listeners) {
            listener.stepsDone(number, config.epochs(), done, steps, samples);
        }
    }

    /** "epoch 3/60", for job descriptions. */
    String label() {
        return "epoch " + number + "/" + config.epochs();
    }
}
