package org.ffspark.partition;

import java.io.Serializable;
import org.ffspark.model.LearningRule;

/**
 * What every step of a run does, the same on every partition: the batch size, the run seed its
 * draws derive from, and the learning rule (negatives, peer normalisation).
 */
public record StepSettings(int batchSize, long seed, LearningRule learning) implements Serializable {
    private static final long serialVersionUID = 1L;
}
