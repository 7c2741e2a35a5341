package org.ffspark.model;

import java.io.Serializable;

/**
 * What a training step computes besides each layer's FF loss: how the negatives' wrong labels are
 * picked, and the strength of peer normalisation (0: off).
 */
public record LearningRule(NegativeRule negatives, float peerNorm) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The notebook's rule: random negatives, no peer normalisation. */
    public static final LearningRule NOTEBOOK = new LearningRule(NegativeRule.RANDOM, 0f);

    /** Whether the step sums the positives' activities for the running means. */
    public boolean tracksActivity() {
        return peerNorm > 0;
    }
}
