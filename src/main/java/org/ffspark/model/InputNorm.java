package org.ffspark.model;

import java.util.Locale;

/**
 * How a layer's input row is normalised before its weights see it. {@link #LENGTH} divides the row by
 * its length, as the notebook and Hinton's paper do: a unit vector, whose entries shrink as the row
 * widens. {@link #RMS} divides by its root mean square, as the best public reimplementation does:
 * entries of order 1 whatever the width, so a weight initialised at {@code 1/sqrt(inputs)} starts its
 * unit near the activities the goodness threshold asks for, and a small learning rate can work. No
 * mean is subtracted in either: the direction of the activity vector carries what the layer below
 * found, its length only how good it was.
 */
public enum InputNorm {
    LENGTH, RMS;

    /** Added to the norm before dividing, as the notebook does. */
    public static final float EPSILON = 1e-8f;

    /** {@code 1 / (norm + eps)} of a row of {@code length} entries whose squares sum to {@code squares}. */
    public float inverse(float squares, int length) {
        float norm = this == LENGTH ? (float) Math.sqrt(squares) : (float) Math.sqrt(squares / length);
        return 1f / (norm + EPSILON);
    }

    /** As the {@code norm} key writes it. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static InputNorm of(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
