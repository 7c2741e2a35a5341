package org.ffspark.model;

import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.ffspark.random.Seeds;

/**
 * Hinton's feed-forward FF network: its shape, its goodness rule and its parameters.
 *
 * <p>Layer 0 sees {@code [pixels, onehot(label)]} ({@code inputSize + classes} values); layer
 * {@code l > 0} sees the activities of layer {@code l - 1}. Each layer's parameters are one float
 * array: the row-major {@code width x inputs} weight matrix followed by the {@code width} biases,
 * so the optimizer and the gradient aggregation treat a layer as one vector.
 */
public final class SimpleFFNetwork implements FFNetwork {
    private static final long serialVersionUID = 1L;
    private static final long INIT_STREAM = 0x1417L;

    private final int inputSize;
    private final int classes;
    private final int[] widths;
    private final GoodnessRule rule;
    private final float[][] parameters;

    public SimpleFFNetwork(int inputSize, int classes, int[] widths, GoodnessRule rule,
                           float[][] parameters) {
        this.inputSize = inputSize;
        this.classes = classes;
        this.widths = widths.clone();
        this.rule = rule;
        this.parameters = parameters;
        if (parameters.length != widths.length) {
            throw new IllegalArgumentException(parameters.length + " parameter arrays for "
                    + widths.length + " layers");
        }
        for (int l = 0; l < widths.length; l++) {
            if (parameters[l].length != parameterCount(l)) {
                throw new IllegalArgumentException("layer " + l + " has " + parameters[l].length
                        + " parameters, expected " + parameterCount(l));
            }
        }
    }

    /**
     * A new network initialised as PyTorch's {@code nn.Linear}: weights and biases uniform in
     * {@code [-1/sqrt(inputs), 1/sqrt(inputs)]}, each layer from its own seeded stream.
     */
    public static SimpleFFNetwork initialize(int inputSize, int classes, int[] widths,
                                             GoodnessRule rule, long seed) {
        float[][] parameters = new float[widths.length][];
        for (int l = 0; l < widths.length; l++) {
            int inputs = l == 0 ? inputSize + classes : widths[l - 1];
            float[] p = new float[inputs * widths[l] + widths[l]];
            SplittableRandom random = new SplittableRandom(Seeds.derive(seed, INIT_STREAM, l));
            double bound = 1.0 / Math.sqrt(inputs);
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
            }
            parameters[l] = p;
        }
        return new SimpleFFNetwork(inputSize, classes, widths, rule, parameters);
    }

    @Override
    public String model() {
        return "simple";
    }

    public int inputSize() {
        return inputSize;
    }

    public int classes() {
        return classes;
    }

    public int layers() {
        return widths.length;
    }

    public int width(int layer) {
        return widths[layer];
    }

    public int[] widths() {
        return widths.clone();
    }

    public GoodnessRule rule() {
        return rule;
    }

    /** Number of inputs of a layer (its weight matrix's row length). */
    public int inputs(int layer) {
        return layer == 0 ? inputSize + classes : widths[layer - 1];
    }

    /** Offset of the biases in the layer's parameter array. */
    public int biasOffset(int layer) {
        return inputs(layer) * widths[layer];
    }

    public int parameterCount(int layer) {
        return inputs(layer) * widths[layer] + widths[layer];
    }

    public long parameterCount() {
        long total = 0;
        for (int l = 0; l < widths.length; l++) {
            total += parameterCount(l);
        }
        return total;
    }

    /** The live parameter array of a layer: the optimizer updates it in place. */
    public float[] parameters(int layer) {
        return parameters[layer];
    }

    /**
     * Copies layer 0's label columns into {@code out} as {@code classes x width} rows: label {@code c}'s
     * weight into unit {@code j} at {@code out[c * width + j]}. In the weight matrix they are one column
     * each, a stride apart, which inner loops over units would read a cache line per element.
     */
    public void copyLabelColumns(float[] out) {
        int width = widths[0];
        int stride = inputs(0);
        float[] w = parameters[0];
        for (int c = 0; c < classes; c++) {
            for (int j = 0; j < width; j++) {
                out[c * width + j] = w[j * stride + inputSize + c];
            }
        }
    }

    @Override
    public SimpleFFNetwork withParameters(float[][] parameters) {
        return new SimpleFFNetwork(inputSize, classes, widths, rule, parameters);
    }

    public SimpleFFNetwork copy() {
        float[][] p = new float[parameters.length][];
        for (int l = 0; l < p.length; l++) {
            p[l] = parameters[l].clone();
        }
        return new SimpleFFNetwork(inputSize, classes, widths, rule, p);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SimpleFFNetwork other && inputSize == other.inputSize
                && classes == other.classes && Arrays.equals(widths, other.widths)
                && rule.equals(other.rule) && Arrays.deepEquals(parameters, other.parameters);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(widths) * 31 + Arrays.deepHashCode(parameters);
    }

    /** Serialized through a compact form: the weights cross the wire every step (see CompactFloats). */
    private Object writeReplace() {
        return new Wire(this);
    }

    private static final class Wire extends WireForm<SimpleFFNetwork> {
        private static final long serialVersionUID = 1L;

        public Wire() {
            // for deserialization
        }

        Wire(SimpleFFNetwork value) {
            super(value);
        }

        @Override
        protected void write(SimpleFFNetwork value, ObjectOutput out) throws IOException {
            out.writeInt(value.inputSize);
            out.writeInt(value.classes);
            out.writeObject(value.widths);
            out.writeObject(value.rule);
            CompactFloats.writeAll(out, value.parameters);
        }

        @Override
        protected SimpleFFNetwork read(ObjectInput in) throws IOException, ClassNotFoundException {
            int inputSize = in.readInt();
            int classes = in.readInt();
            int[] widths = (int[]) in.readObject();
            GoodnessRule rule = (GoodnessRule) in.readObject();
            return new SimpleFFNetwork(inputSize, classes, widths, rule, CompactFloats.readAll(in));
        }
    }
}
