package org.ffspark.model;

import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.ffspark.linalg.ReusedArrays;
import org.ffspark.random.Seeds;
import org.ffspark.wire.CompactFloats;
import org.ffspark.wire.WireForm;

/**
 * The recurrent FF network of the paper's Section 5: hidden layers that each see the layer below
 * (bottom-up weights {@code U} and bias {@code b}) and the layer above (top-down weights {@code T}, no
 * bias), with the one-hot label clamped above the top hidden layer. Activity settles over
 * {@code iterations} synchronous updates, each keeping {@code damping} of the old state.
 *
 * <p>Layer {@code l}'s parameters are one float array: the row-major {@code width x below} matrix
 * {@code U}, the {@code width} biases, then the row-major {@code width x above} matrix {@code T}, where
 * {@code below} is the input size for the first layer and {@code above} the class count for the top.
 *
 * @see RecurrentLearning for the dynamics, the local losses and the scoring
 */
public final class RecurrentFFNetwork implements FFNetwork {
    private static final long serialVersionUID = 1L;
    private static final long INIT_STREAM = 0x2e7cL;

    private final int inputSize;
    private final int classes;
    private final int[] widths;
    private final GoodnessRule rule;
    private final Dynamics dynamics;
    private final float[][] parameters;

    /**
     * How activity settles and how a label is scored.
     *
     * @param iterations synchronous updates after the first bottom-up pass
     * @param damping    share of the old state kept by each update (the paper: 0.3)
     * @param scoreFrom  first iteration (1-based) whose goodness counts towards a label's score
     * @param scoreTo    last such iteration, inclusive
     */
    public record Dynamics(int iterations, float damping, int scoreFrom, int scoreTo)
            implements java.io.Serializable {
        public static final Dynamics PAPER = new Dynamics(8, 0.3f, 3, 5);

        public Dynamics {
            if (iterations < 1 || scoreFrom < 1 || scoreTo < scoreFrom || scoreTo > iterations) {
                throw new IllegalArgumentException("iterations " + iterations + " with score window "
                        + scoreFrom + "-" + scoreTo);
            }
            if (!(damping >= 0 && damping < 1)) {
                throw new IllegalArgumentException("damping " + damping + " outside [0, 1)");
            }
        }

        public String windowText() {
            return scoreFrom + "-" + scoreTo;
        }
    }

    public RecurrentFFNetwork(int inputSize, int classes, int[] widths, GoodnessRule rule, Dynamics dynamics,
                              float[][] parameters) {
        this.inputSize = inputSize;
        this.classes = classes;
        this.widths = widths.clone();
        this.rule = rule;
        this.dynamics = dynamics;
        this.parameters = parameters;
        if (parameters.length != widths.length) {
            throw new IllegalArgumentException(parameters.length + " parameter arrays for " + widths.length
                    + " layers");
        }
        for (int l = 0; l < widths.length; l++) {
            if (parameters[l].length != parameterCount(l)) {
                throw new IllegalArgumentException("layer " + l + " has " + parameters[l].length
                        + " parameters, expected " + parameterCount(l));
            }
        }
    }

    /**
     * A new network initialised as the notebook's recurrent class is: Xavier-uniform weights (bound
     * {@code sqrt(6 / (fan_in + fan_out))}) and zero biases, each layer from its own seeded stream.
     */
    public static RecurrentFFNetwork initialize(int inputSize, int classes, int[] widths, GoodnessRule rule,
                                                Dynamics dynamics, long seed) {
        float[][] parameters = new float[widths.length][];
        for (int l = 0; l < widths.length; l++) {
            int w = widths[l];
            int below = l == 0 ? inputSize : widths[l - 1];
            int above = l == widths.length - 1 ? classes : widths[l + 1];
            float[] p = new float[FFNetwork.blockLength((long) w * (below + 1 + above), "layer " + (l + 1))];
            SplittableRandom random = new SplittableRandom(Seeds.derive(seed, INIT_STREAM, l));
            double up = Math.sqrt(6.0 / (below + w));
            for (int i = 0; i < w * below; i++) {
                p[i] = (float) ((random.nextDouble() * 2 - 1) * up);
            }
            double down = Math.sqrt(6.0 / (above + w));
            for (int i = w * (below + 1); i < p.length; i++) {
                p[i] = (float) ((random.nextDouble() * 2 - 1) * down);
            }
            parameters[l] = p;
        }
        return new RecurrentFFNetwork(inputSize, classes, widths, rule, dynamics, parameters);
    }

    @Override
    public String model() {
        return "recurrent";
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public int layers() {
        return widths.length;
    }

    @Override
    public int width(int layer) {
        return widths[layer];
    }

    @Override
    public int[] widths() {
        return widths.clone();
    }

    @Override
    public GoodnessRule rule() {
        return rule;
    }

    public Dynamics dynamics() {
        return dynamics;
    }

    /** Size of the layer below: the image for the first hidden layer. */
    public int below(int layer) {
        return layer == 0 ? inputSize : widths[layer - 1];
    }

    /** Size of the layer above: the label for the top hidden layer. */
    public int above(int layer) {
        return layer == widths.length - 1 ? classes : widths[layer + 1];
    }

    public int biasOffset(int layer) {
        return widths[layer] * below(layer);
    }

    public int topDownOffset(int layer) {
        return biasOffset(layer) + widths[layer];
    }

    @Override
    public int parameterCount(int layer) {
        return widths[layer] * (below(layer) + 1 + above(layer));
    }

    @Override
    public float[] parameters(int layer) {
        return parameters[layer];
    }

    @Override
    public RecurrentFFNetwork withParameters(float[][] parameters) {
        return new RecurrentFFNetwork(inputSize, classes, widths, rule, dynamics, parameters);
    }

    @Override
    public RecurrentFFNetwork copy() {
        float[][] p = new float[parameters.length][];
        for (int l = 0; l < p.length; l++) {
            p[l] = ReusedArrays.copyOf(parameters[l]);
        }
        return new RecurrentFFNetwork(inputSize, classes, widths, rule, dynamics, p);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecurrentFFNetwork other && inputSize == other.inputSize && classes == other.classes
                && Arrays.equals(widths, other.widths) && rule.equals(other.rule)
                && dynamics.equals(other.dynamics) && Arrays.deepEquals(parameters, other.parameters);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(widths) * 31 + Arrays.deepHashCode(parameters);
    }

    private Object writeReplace() {
        return new Wire(this);
    }

    private static final class Wire extends WireForm<RecurrentFFNetwork> {
        private static final long serialVersionUID = 1L;

        public Wire() {
            // for deserialization
        }

        Wire(RecurrentFFNetwork value) {
            super(value);
        }

        @Override
        protected void write(RecurrentFFNetwork value, ObjectOutput out) throws IOException {
            out.writeInt(value.inputSize);
            out.writeInt(value.classes);
            out.writeObject(value.widths);
            out.writeObject(value.rule);
            out.writeObject(value.dynamics);
            CompactFloats.writeAll(out, value.parameters);
        }

        @Override
        protected RecurrentFFNetwork read(ObjectInput in) throws IOException, ClassNotFoundException {
            int inputSize = in.readInt();
            int classes = in.readInt();
            int[] widths = (int[]) in.readObject();
            GoodnessRule rule = (GoodnessRule) in.readObject();
            Dynamics dynamics = (Dynamics) in.readObject();
            return new RecurrentFFNetwork(inputSize, classes, widths, rule, dynamics, CompactFloats.readAll(in));
        }
    }
}
