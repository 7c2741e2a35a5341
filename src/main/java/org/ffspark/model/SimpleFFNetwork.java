package org.ffspark.model;

import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.ffspark.linalg.ReusedArrays;
import org.ffspark.random.Seeds;

/**
 * Hinton's feed-forward FF network: its shape, its goodness rule, how it normalises and classifies,
 * and its parameters.
 *
 * <p>Layer 0 sees {@code [pixels, onehot(label)]} ({@code inputSize + classes} values); layer
 * {@code l > 0} sees the activities of layer {@code l - 1}. Each layer's parameters are one float
 * array: the row-major {@code width x inputs} weight matrix followed by the {@code width} biases, so
 * the optimizer and the gradient aggregation treat a layer as one vector. With a readout, one more
 * parameter block follows the layers: the row-major {@code classes x readoutInputs} weights of a linear
 * softmax (no bias) on the normalised activities of the layers from {@link Design#scoreFrom()}.
 *
 * <p>The network also keeps each unit's running mean activity over positive samples, the state of
 * peer normalisation (see {@link PeerNormalisation}); like a batch-norm layer's running statistics
 * it travels and is saved with the weights, and is untouched when peer normalisation is off.
 */
public final class SimpleFFNetwork implements FFNetwork {
    private static final long serialVersionUID = 2L;
    private static final long INIT_STREAM = 0x1417L;
    /** A unit's running mean activity before any step, as the reimplementation this follows starts it. */
    static final float INITIAL_UNIT_MEAN = 0.5f;

    /**
     * How the network normalises, which layers classify, and whether it has a readout.
     *
     * @param scoreFrom  the first layer (0-based) whose goodness classifies and that feeds the readout
     * @param readout    whether a readout block follows the layers
     * @param classifier how the network predicts; {@link Classifier#READOUT} needs a readout
     */
    public record Design(InputNorm norm, int scoreFrom, boolean readout, Classifier classifier)
            implements Serializable {
        private static final long serialVersionUID = 1L;

        /** The notebook's network: length normalisation, every layer scores, no readout. */
        public static final Design NOTEBOOK = new Design(InputNorm.LENGTH, 0, false, Classifier.GOODNESS);

        public Design {
            if (classifier == Classifier.READOUT && !readout) {
                throw new IllegalArgumentException("classifier readout needs a readout");
            }
        }

        Design withReadout(boolean present) {
            return new Design(norm, scoreFrom, present, present ? classifier : Classifier.GOODNESS);
        }
    }

    private final int inputSize;
    private final int classes;
    private final int[] widths;
    private final GoodnessRule rule;
    private final Design design;
    private final float[][] parameters;
    private final float[][] unitMeans;

    public SimpleFFNetwork(int inputSize, int classes, int[] widths, GoodnessRule rule, float[][] parameters) {
        this(inputSize, classes, widths, rule, Design.NOTEBOOK, parameters, initialUnitMeans(widths));
    }

    /** A network of the given design holding {@code parameters}, its running means as a fresh network's. */
    public SimpleFFNetwork(int inputSize, int classes, int[] widths, GoodnessRule rule, Design design,
                           float[][] parameters) {
        this(inputSize, classes, widths, rule, design, parameters, initialUnitMeans(widths));
    }

    public SimpleFFNetwork(int inputSize, int classes, int[] widths, GoodnessRule rule, Design design,
                           float[][] parameters, float[][] unitMeans) {
        this.inputSize = inputSize;
        this.classes = classes;
        this.widths = widths.clone();
        this.rule = rule;
        this.design = design;
        this.parameters = parameters;
        this.unitMeans = unitMeans;
        if (design.scoreFrom() < 0 || design.scoreFrom() >= widths.length) {
            throw new IllegalArgumentException("scoring from layer " + design.scoreFrom() + " of " + widths.length);
        }
        if (parameters.length != blocks()) {
            throw new IllegalArgumentException(parameters.length + " parameter arrays for " + blocks() + " blocks");
        }
        for (int b = 0; b < parameters.length; b++) {
            if (parameters[b].length != parameterCount(b)) {
                throw new IllegalArgumentException("block " + b + " has " + parameters[b].length
                        + " parameters, expected " + parameterCount(b));
            }
        }
        if (unitMeans.length != widths.length) {
            throw new IllegalArgumentException(unitMeans.length + " unit-mean arrays for " + widths.length + " layers");
        }
        for (int l = 0; l < widths.length; l++) {
            if (unitMeans[l].length != widths[l]) {
                throw new IllegalArgumentException("layer " + l + " has " + unitMeans[l].length + " unit means");
            }
        }
    }

    /** A new network of the notebook's design (see {@link #initialize(int, int, int[], GoodnessRule, Design, long)}). */
    public static SimpleFFNetwork initialize(int inputSize, int classes, int[] widths, GoodnessRule rule, long seed) {
        return initialize(inputSize, classes, widths, rule, Design.NOTEBOOK, seed);
    }

    /**
     * A new network initialised as PyTorch's {@code nn.Linear}: weights and biases uniform in
     * {@code [-1/sqrt(inputs), 1/sqrt(inputs)]}, each layer from its own seeded stream. The readout
     * starts at zero: every label equally likely until it has learnt.
     */
    public static SimpleFFNetwork initialize(int inputSize, int classes, int[] widths, GoodnessRule rule,
                                             Design design, long seed) {
        int layers = widths.length;
        float[][] parameters = new float[layers + (design.readout() ? 1 : 0)][];
        for (int l = 0; l < layers; l++) {
            int inputs = l == 0 ? inputSize + classes : widths[l - 1];
            float[] p = new float[FFNetwork.blockLength((long) inputs * widths[l] + widths[l], "layer " + (l + 1))];
            SplittableRandom random = new SplittableRandom(Seeds.derive(seed, INIT_STREAM, l));
            double bound = 1.0 / Math.sqrt(inputs);
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
            }
            parameters[l] = p;
        }
        if (design.readout()) {
            parameters[layers] = new float[classes * readoutInputs(widths, design.scoreFrom())];
        }
        return new SimpleFFNetwork(inputSize, classes, widths, rule, design, parameters, initialUnitMeans(widths));
    }

    private static float[][] initialUnitMeans(int[] widths) {
        float[][] means = new float[widths.length][];
        for (int l = 0; l < widths.length; l++) {
            means[l] = new float[widths[l]];
            Arrays.fill(means[l], INITIAL_UNIT_MEAN);
        }
        return means;
    }

    private static int readoutInputs(int[] widths, int scoreFrom) {
        int total = 0;
        for (int l = scoreFrom; l < widths.length; l++) {
            total += widths[l];
        }
        return total;
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

    /** The layers, then the readout when there is one. */
    @Override
    public int blocks() {
        return widths.length + (design.readout() ? 1 : 0);
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

    public Design design() {
        return design;
    }

    public InputNorm norm() {
        return design.norm();
    }

    /** The first layer (0-based) whose goodness classifies and that feeds the readout. */
    public int scoreFrom() {
        return design.scoreFrom();
    }

    public boolean hasReadout() {
        return design.readout();
    }

    /** The readout's parameter block, or -1 without a readout. */
    public int readoutBlock() {
        return design.readout() ? widths.length : -1;
    }

    /** The readout's input length: the widths of the layers from {@link #scoreFrom()}. */
    public int readoutInputs() {
        return readoutInputs(widths, design.scoreFrom());
    }

    /** Number of inputs of a layer (its weight matrix's row length). */
    public int inputs(int layer) {
        return layer == 0 ? inputSize + classes : widths[layer - 1];
    }

    /** Offset of the biases in the layer's parameter array. */
    public int biasOffset(int layer) {
        return inputs(layer) * widths[layer];
    }

    public int parameterCount(int block) {
        if (block == widths.length) {
            return classes * readoutInputs();
        }
        return inputs(block) * widths[block] + widths[block];
    }

    /** The live parameter array of a block: the optimizer updates it in place. */
    public float[] parameters(int block) {
        return parameters[block];
    }

    /** The live running mean activities of a layer's units (see {@link PeerNormalisation}). */
    public float[] unitMeans(int layer) {
        return unitMeans[layer];
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
        return new SimpleFFNetwork(inputSize, classes, widths, rule, design, parameters, copy(unitMeans));
    }

    /**
     * This network with a readout of the given weights ({@code classes x readoutInputs}, row-major), or
     * without one when {@code readout} is null; the layers are shared, not copied.
     */
    public SimpleFFNetwork withReadout(float[] readout, Classifier classifier) {
        float[][] p = Arrays.copyOf(parameters, widths.length + (readout == null ? 0 : 1));
        if (readout != null) {
            p[widths.length] = readout;
        }
        Design d = readout == null ? design.withReadout(false)
                : new Design(design.norm(), design.scoreFrom(), true, classifier);
        return new SimpleFFNetwork(inputSize, classes, widths, rule, d, p, unitMeans);
    }

    /** The same network predicting with {@code classifier} (which must be available). */
    public SimpleFFNetwork withClassifier(Classifier classifier) {
        return new SimpleFFNetwork(inputSize, classes, widths, rule,
                new Design(design.norm(), design.scoreFrom(), design.readout(), classifier), parameters, unitMeans);
    }

    public SimpleFFNetwork copy() {
        return new SimpleFFNetwork(inputSize, classes, widths, rule, design, copy(parameters), copy(unitMeans));
    }

    private static float[][] copy(float[][] arrays) {
        float[][] c = new float[arrays.length][];
        for (int i = 0; i < c.length; i++) {
            c[i] = ReusedArrays.copyOf(arrays[i]);
        }
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SimpleFFNetwork other && inputSize == other.inputSize
                && classes == other.classes && Arrays.equals(widths, other.widths)
                && rule.equals(other.rule) && design.equals(other.design)
                && Arrays.deepEquals(parameters, other.parameters) && Arrays.deepEquals(unitMeans, other.unitMeans);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(widths) * 31 + Arrays.deepHashCode(parameters);
    }

    /** Serialized through a compact form: the weights cross the wire every step (see CompactFloats). */
    private Object writeReplace() {
        return new SimpleNetworkWire(this);
    }
}
