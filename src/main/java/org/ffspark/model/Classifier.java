package org.ffspark.model;

import java.util.Locale;

/**
 * How a simple FF network names an image's label. {@link #GOODNESS} runs the network once per label
 * and takes the label whose goodness, summed over the scoring layers, is highest (the paper's best
 * rule). {@link #READOUT} runs it once with a neutral label and takes the best label of a linear
 * softmax on the normalised activities: a tenth of the work.
 */
public enum Classifier {
    GOODNESS, READOUT;

    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Classifier of(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
