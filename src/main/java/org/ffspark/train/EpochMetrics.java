package org.ffspark.train;

import org.ffspark.eval.ConfusionMatrix;

/**
 * The figures of one finished epoch.
 *
 * @param loss             per layer, the mean over the epoch's steps of the batch loss
 * @param positiveGoodness per layer, the mean goodness of the epoch's positive samples
 * @param negativeGoodness per layer, the mean goodness of the epoch's negative samples
 * @param trainAccuracy    accuracy on the first training images (the notebook's "train")
 * @param test             the test set's confusion matrix after the epoch
 */
public record EpochMetrics(int epoch, int epochs, double[] loss, double[] positiveGoodness,
                           double[] negativeGoodness, double trainAccuracy, ConfusionMatrix test,
                           double bestTestAccuracy, double trainSeconds, double evalSeconds) {
    public double testAccuracy() {
        return test.accuracy();
    }
}
