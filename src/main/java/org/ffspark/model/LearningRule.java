package org.ffspark.model;

import java.io.Serializable;
import org.ffspark.linalg.ProductPrecision;

/**
 * What a training step computes besides each layer's FF loss: how the negatives' wrong labels are
 * picked, the strength of peer normalisation (0: off), and the precision of its forward products.
 */
public record LearningRule(NegativeRule negatives, float peerNorm, ProductPrecision products)
        implements Serializable {
    private static final long serialVersionUID = 2L;

    /** The rule with float32 products. */
    public LearningRule(NegativeRule negatives, float peerNorm) {
        this(negatives, peerNorm, ProductPrecision.FLOAT32);
    }

    /** The notebook's rule: random negatives, no peer normalisation. */
    public static final LearningRule NOTEBOOK = new LearningRule(NegativeRule.RANDOM, 0f);

    /** Whether the step sums the positives' activities for the running means. */
    public boolean tracksActivity() {
        return peerNorm > 0;
    }
}
