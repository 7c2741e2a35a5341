package org.ffspark.optim;

import java.io.Serializable;
import java.util.Locale;

/**
 * How the driver merges the copies after a round of local steps: {@link Kind#AVERAGE} takes their
 * average as the new network; {@link Kind#NESTEROV} treats the start of the round minus that average as
 * a gradient (the copies' averaged change, a pseudo-gradient) and takes a Nesterov momentum step along
 * it, as DiLoCo's outer optimizer does.
 *
 * @param learningRate the outer step's rate (1 with no momentum is plain averaging)
 * @param momentum     the outer momentum, PyTorch's SGD meaning
 */
public record OuterSettings(Kind kind, double learningRate, double momentum) implements Serializable {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        AVERAGE, NESTEROV;

        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The copies' average, nothing more. */
    public static final OuterSettings AVERAGE = new OuterSettings(Kind.AVERAGE, 1, 0);

    /** Whether the outer step keeps a momentum buffer (which checkpoints then carry). */
    public boolean hasState() {
        return kind == Kind.NESTEROV;
    }

    @Override
    public String toString() {
        return kind == Kind.AVERAGE ? "average" : "nesterov lr " + learningRate + " momentum " + momentum;
    }
}
