package org.ffspark.ml;

import java.io.Serializable;
import java.util.List;
import org.ffspark.train.EpochMetrics;

/**
 * What a fit measured, epoch by epoch (as MLlib's perceptron model offers its objective history), and
 * how its probabilities were calibrated. Kept by the model that fit made; a model loaded from disk has
 * none.
 */
public final class ForwardForwardTrainingSummary implements Serializable {
    private static final long serialVersionUID = 1L;

    private final double[][] layerLoss;
    private final double[] positiveGoodness;
    private final double[] negativeGoodness;
    private final double[] trainAccuracy;
    private final double temperature;
    private final double calibrationErrorBefore;
    private final double calibrationErrorAfter;

    ForwardForwardTrainingSummary(List<EpochMetrics> epochs, double temperature, double calibrationErrorBefore,
                                  double calibrationErrorAfter) {
        int n = epochs.size();
        layerLoss = new double[n][];
        positiveGoodness = new double[n];
        negativeGoodness = new double[n];
        trainAccuracy = new double[n];
        for (int e = 0; e < n; e++) {
            EpochMetrics m = epochs.get(e);
            layerLoss[e] = m.loss().clone();
            positiveGoodness[e] = mean(m.positiveGoodness());
            negativeGoodness[e] = mean(m.negativeGoodness());
            trainAccuracy[e] = m.trainAccuracy();
        }
        this.temperature = temperature;
        this.calibrationErrorBefore = calibrationErrorBefore;
        this.calibrationErrorAfter = calibrationErrorAfter;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return values.length == 0 ? Double.NaN : sum / values.length;
    }

    /** Epochs trained. */
    public int totalIterations() {
        return trainAccuracy.length;
    }

    /** Per epoch, the FF loss summed over the layers: the counterpart of MLlib's objective history. */
    public double[] objectiveHistory() {
        double[] total = new double[layerLoss.length];
        for (int e = 0; e < total.length; e++) {
            for (double l : layerLoss[e]) {
                total[e] += l;
            }
        }
        return total;
    }

    /** Per epoch, each layer's FF loss ({@code [epoch][layer]}). */
    public double[][] layerLossHistory() {
        double[][] copy = new double[layerLoss.length][];
        for (int e = 0; e < copy.length; e++) {
            copy[e] = layerLoss[e].clone();
        }
        return copy;
    }

    /** Per epoch, the mean goodness of positive samples, averaged over the layers. */
    public double[] positiveGoodnessHistory() {
        return positiveGoodness.clone();
    }

    /** Per epoch, the mean goodness of negative samples, averaged over the layers. */
    public double[] negativeGoodnessHistory() {
        return negativeGoodness.clone();
    }

    /** Per epoch, the accuracy on the first {@code trainAccuracyImages} training rows. */
    public double[] trainAccuracyHistory() {
        return trainAccuracy.clone();
    }

    /** The temperature the probabilities divide the scores by. */
    public double temperature() {
        return temperature;
    }

    /**
     * Expected calibration error of a plain softmax over the scores, on the rows held out of training
     * ({@code calibrationFraction}); NaN when none were.
     */
    public double calibrationErrorBefore() {
        return calibrationErrorBefore;
    }

    /** Expected calibration error of the model's probabilities (after the temperature), on the same held-out rows. */
    public double calibrationError() {
        return calibrationErrorAfter;
    }
}
