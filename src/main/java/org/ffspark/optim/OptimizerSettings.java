package org.ffspark.optim;

import java.io.Serializable;
import java.util.Locale;

/**
 * An optimizer's hyper-parameters, PyTorch's names and meanings: Adam's {@code beta1}, {@code beta2}
 * and {@code epsilon}; SGD's {@code momentum}; for both an L2 {@code weightDecay} added to the gradient.
 */
public record OptimizerSettings(Kind kind, double learningRate, double beta1, double beta2, double epsilon,
                                double momentum, double weightDecay) implements Serializable {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        ADAM, SGD;

        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The notebook's: Adam at 0.03 with PyTorch's other defaults, no weight decay. */
    public static final OptimizerSettings NOTEBOOK = adam(0.03);

    /** Adam at {@code learningRate} with PyTorch's defaults. */
    public static OptimizerSettings adam(double learningRate) {
        return new OptimizerSettings(Kind.ADAM, learningRate, 0.9, 0.999, 1e-8, 0.9, 0);
    }

    /** The same with another learning rate. */
    public OptimizerSettings withLearningRate(double rate) {
        return new OptimizerSettings(kind, rate, beta1, beta2, epsilon, momentum, weightDecay);
    }

    /** The same with another learning rate and weight decay. */
    public OptimizerSettings with(double rate, double decay) {
        return new OptimizerSettings(kind, rate, beta1, beta2, epsilon, momentum, decay);
    }
}
