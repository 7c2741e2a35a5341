package org.ffspark.model;

import java.io.Serializable;
import java.util.Locale;

/**
 * How a layer's goodness is measured and what threshold separates positive from negative data.
 *
 * <p>Goodness is the {@link Measure#MEAN mean} or the {@link Measure#SUM sum} of the squared
 * activities of a layer; the threshold is a fixed number or the layer's width. The notebook uses the
 * mean against the width, which asks every unit for an average square of {@code width} and cripples
 * wide layers (docs/ff-maths.md); the paper's rule is the sum against the width, i.e. the
 * mean against 1, which is the default.
 *
 * @param fixedThreshold the threshold when {@code widthThreshold} is false
 */
public record GoodnessRule(Measure measure, double fixedThreshold, boolean widthThreshold)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    public enum Measure { MEAN, SUM }

    /** Mean of squares against 1: the paper's rule, the default. */
    public static final GoodnessRule PAPER = new GoodnessRule(Measure.MEAN, 1.0, false);
    /** Mean of squares against the layer width: the notebook's rule. */
    public static final GoodnessRule NOTEBOOK = new GoodnessRule(Measure.MEAN, 0, true);

    public float threshold(int width) {
        return widthThreshold ? width : (float) fixedThreshold;
    }

    /** Goodness from a layer's sum of squared activities. */
    public float goodness(float sumOfSquares, int width) {
        return measure == Measure.MEAN ? sumOfSquares / width : sumOfSquares;
    }

    /** d goodness / d (h_j^2): 1/width for the mean, 1 for the sum. */
    public float squareWeight(int width) {
        return measure == Measure.MEAN ? 1f / width : 1f;
    }

    /** The threshold as written in a config file: a number or {@code width}. */
    public String thresholdText() {
        return widthThreshold ? "width" : Double.toString(fixedThreshold);
    }

    public String measureText() {
        return measure.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return measureText() + " of squares against " + thresholdText();
    }
}
