package org.ffspark.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ffspark.eval.ConfusionMatrix;

/**
 * The figures of one finished epoch: what training measured, the accuracies (on epochs that evaluate),
 * and where the time went.
 */
public record EpochMetrics(int epoch, int epochs, TrainingFigures training, Evaluation evaluation,
                           EpochTiming timing) {

    /**
     * What the training steps measured, averaged over the epoch.
     *
     * @param loss             per layer, the loss per positive-negative pair
     * @param readoutLoss      the readout's cross-entropy per sample; NaN without a local readout
     * @param positiveGoodness per layer, the mean goodness of the positive samples
     * @param negativeGoodness per layer, the mean goodness of the negative samples
     * @param settling         the recurrent model's goodness per layer and iteration; null for the simple model
     */
    public record TrainingFigures(double[] loss, double readoutLoss, double[] positiveGoodness,
                                  double[] negativeGoodness, Settling settling) {
    }

    /**
     * The accuracies after the epoch.
     *
     * @param trainAccuracy    on the first training images (the notebook's "train"); NaN when not measured
     * @param test             the test set's confusion matrix; null when not measured
     * @param bestTestAccuracy the best test accuracy of any epoch so far
     */
    public record Evaluation(double trainAccuracy, ConfusionMatrix test, double bestTestAccuracy) {
        /** An epoch that measured nothing, after a best of {@code best}. */
        public static Evaluation skipped(double best) {
            return new Evaluation(Double.NaN, null, best);
        }
    }

    /** Whether this epoch measured the accuracies. */
    public boolean evaluated() {
        return evaluation.test() != null;
    }

    public double[] loss() {
        return training.loss();
    }

    public double[] positiveGoodness() {
        return training.positiveGoodness();
    }

    public double[] negativeGoodness() {
        return training.negativeGoodness();
    }

    public Settling settling() {
        return training.settling();
    }

    public double trainAccuracy() {
        return evaluation.trainAccuracy();
    }

    /** The test confusion matrix, or null on an epoch that did not evaluate. */
    public ConfusionMatrix test() {
        return evaluation.test();
    }

    public double testAccuracy() {
        return evaluated() ? evaluation.test().accuracy() : Double.NaN;
    }

    public double bestTestAccuracy() {
        return evaluation.bestTestAccuracy();
    }

    public double trainSeconds() {
        return timing.trainSeconds();
    }

    public double evalSeconds() {
        return timing.evalSeconds();
    }

    /** The epoch's figures as a JSON-ready map: one line of metrics.jsonl (no accuracies when not measured). */
    public Map<String, Object> record() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("epoch", epoch);
        r.put("loss", training.loss());
        if (!Double.isNaN(training.readoutLoss())) {
            r.put("readoutLoss", training.readoutLoss());
        }
        r.put("positiveGoodness", training.positiveGoodness());
        r.put("negativeGoodness", training.negativeGoodness());
        r.put("trainAccuracy", evaluated() ? trainAccuracy() : null);
        r.put("testAccuracy", evaluated() ? testAccuracy() : null);
        r.put("bestTestAccuracy", bestTestAccuracy());
        timing.putInto(r);
        if (training.settling() != null) {
            r.put("positiveGoodnessByIteration", training.settling().positive());
            r.put("negativeGoodnessByIteration", training.settling().negative());
        }
        return r;
    }
}
