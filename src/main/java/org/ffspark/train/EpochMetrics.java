package org.ffspark.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.ffspark.eval.ConfusionMatrix;

/**
 * The figures of one finished epoch.
 *
 * @param loss             per layer, the loss per positive-negative pair, over the epoch
 * @param positiveGoodness per layer, the mean goodness of the epoch's positive samples
 * @param negativeGoodness per layer, the mean goodness of the epoch's negative samples
 * @param trainAccuracy    accuracy on the first training images (the notebook's "train")
 * @param test             the test set's confusion matrix after the epoch
 * @param timing           where the training seconds went
 * @param settling         the recurrent model's goodness per layer and iteration; null for the simple model
 */
public record EpochMetrics(int epoch, int epochs, double[] loss, double[] positiveGoodness,
                           double[] negativeGoodness, double trainAccuracy, ConfusionMatrix test,
                           double bestTestAccuracy, double trainSeconds, double evalSeconds,
                           EpochTiming timing, Settling settling) {

    /** An epoch of a model without iterations (the simple model). */
    public EpochMetrics(int epoch, int epochs, double[] loss, double[] positiveGoodness, double[] negativeGoodness,
                        double trainAccuracy, ConfusionMatrix test, double bestTestAccuracy, double trainSeconds,
                        double evalSeconds, EpochTiming timing) {
        this(epoch, epochs, loss, positiveGoodness, negativeGoodness, trainAccuracy, test, bestTestAccuracy,
                trainSeconds, evalSeconds, timing, null);
    }
    public double testAccuracy() {
        return test.accuracy();
    }

    /** The epoch's figures as a JSON-ready map: one line of metrics.jsonl. */
    public Map<String, Object> record() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("epoch", epoch);
        r.put("loss", loss);
        r.put("positiveGoodness", positiveGoodness);
        r.put("negativeGoodness", negativeGoodness);
        r.put("trainAccuracy", trainAccuracy);
        r.put("testAccuracy", testAccuracy());
        r.put("bestTestAccuracy", bestTestAccuracy);
        r.put("trainSeconds", trainSeconds);
        r.put("evalSeconds", evalSeconds);
        timing.putInto(r, trainSeconds);
        if (settling != null) {
            r.put("positiveGoodnessByIteration", settling.positive());
            r.put("negativeGoodnessByIteration", settling.negative());
        }
        return r;
    }
}
