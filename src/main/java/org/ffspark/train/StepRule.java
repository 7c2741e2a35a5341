package org.ffspark.train;

import java.io.Serializable;
import org.ffspark.model.LearningRule;

/**
 * What every step of a run does, the same on every partition: the batch size, the run seed its
 * draws derive from, and the learning rule (negatives, peer normalisation).
 */
public record StepRule(int batchSize, long seed, LearningRule learning) implements Serializable {
    private static final long serialVersionUID = 1L;

    public static StepRule of(TrainingConfig config) {
        return new StepRule(config.batchSize(), config.seed(), config.rule());
    }
}
