package org.ffspark.model;

import java.util.Arrays;
import org.ffspark.linalg.LaneSums;
import org.ffspark.linalg.ProductPrecision;
import org.ffspark.linalg.ReluProducts;

/**
 * A simple network's layer 0 on a block of images, for every label at the cost of one: its normalised
 * input {@code [x, onehot(c)] / norm} has the same length whatever the label {@code c}, so {@code W_x x}
 * is computed once per image ({@link #begin}) and serves the positive, the negative, the neutral row and
 * the scores of every label; each label only adds its column of {@code W}, kept here as contiguous rows.
 * An instance holds work buffers: use one per thread.
 */
final class FirstLayer {
    private float[] pixelProducts = new float[0];
    private float[] inverseLengths = new float[0];
    private float[] labelWeights = new float[0];
    private float[] pixelDeltas = new float[0];
    private float[] labelGradients = new float[0];
    private SimpleFFNetwork net;
    private float[] pixels;
    private int n;

    /** Computes the images' pixel products; the network's weights must not change until the step ends. */
    void begin(SimpleFFNetwork net, float[] pixels, int n, ProductPrecision precision) {
        this.net = net;
        this.pixels = pixels;
        this.n = n;
        int inputSize = net.inputSize();
        int width = net.width(0);
        inverseLengths = LayerPasses.grow(inverseLengths, n);
        for (int i = 0; i < n; i++) {
            inverseLengths[i] = inverseNorm(net, pixels, i);
        }
        pixelProducts = LayerPasses.grow(pixelProducts, n * width);
        if (n > 0) {
            LayerPasses.product(pixels, n, inputSize, net.parameters(0), net.inputs(0), width, pixelProducts,
                    precision);
        }
        labelWeights = LayerPasses.grow(labelWeights, net.classes() * width);
        net.copyLabelColumns(labelWeights);
    }

    /** {@code W_x x} of the begun images, {@code n x width(0)}. */
    float[] pixelProducts() {
        return pixelProducts;
    }

    /** Layer 0's label columns as {@code classes x width(0)} rows. */
    float[] labelWeights() {
        return labelWeights;
    }

    /** {@code 1 / (norm + eps)} of each begun image's input, the same under every label. */
    float[] inverseLengths() {
        return inverseLengths;
    }

    /**
     * Fills {@code goodness[i * classes + c]} with layer 0's goodness of image {@code i} under label
     * {@code c}, equal to {@link LabelScorer} scoring one layer.
     */
    void goodness(float[] goodness) {
        int width = net.width(0);
        int classes = net.classes();
        float[] params = net.parameters(0);
        int bias = net.biasOffset(0);
        GoodnessRule rule = net.rule();
        for (int i = 0; i < n; i++) {
            int p = i * width;
            float s = inverseLengths[i];
            for (int c = 0; c < classes; c++) {
                float squares = LaneSums.shiftedReluSquares(pixelProducts, p, labelWeights, c * width, s, params,
                        bias, width);
                goodness[i * classes + c] = rule.goodness(squares, width);
            }
        }
    }

    /**
     * Layer 0's activities for positives (rows 0..n-1) and negatives (rows n..2n-1), written into
     * {@code h}; their columns' bits ORed into {@code bits} (zeroed here), as
     * {@link LayerPasses#addBiasAndRelu} does.
     */
    float[] activities(int[] positive, int[] negative, float[] h, int[] bits) {
        int width = net.width(0);
        float[] params = net.parameters(0);
        int bias = net.biasOffset(0);
        float[] inv = inverseLengths;
        Arrays.fill(bits, 0, width, 0);
        for (int i = 0; i < n; i++) {
            int p = i * width;
            LaneSums.shiftedRelu(pixelProducts, p, labelWeights, positive[i] * width, inv[i], params, bias, h, p,
                    width, bits);
            LaneSums.shiftedRelu(pixelProducts, p, labelWeights, negative[i] * width, inv[i], params, bias, h,
                    (n + i) * width, width, bits);
        }
        return h;
    }

    /**
     * Adds layer 0's weight gradient for the deltas of the positive and negative rows: the label columns
     * gathered per label, then the pixel columns in one product of the summed deltas (positive and
     * negative rows share their image).
     */
    void addGradient(int[] positive, int[] negative, float[] delta, int[] outputBits, float[] grad,
                     ReluProducts products) {
        int inputSize = net.inputSize();
        int stride = net.inputs(0);
        int width = net.width(0);
        int classes = net.classes();
        float[] inv = inverseLengths;
        pixelDeltas = LayerPasses.grow(pixelDeltas, n * width);
        labelGradients = LayerPasses.grow(labelGradients, classes * width);
        Arrays.fill(labelGradients, 0, classes * width, 0f);
        for (int i = 0; i < n; i++) {
            int dp = i * width;
            int dn = (n + i) * width;
            int pos = positive[i] * width;
            int neg = negative[i] * width;
            float s = inv[i];
            for (int j = 0; j < width; j++) {
                float a = delta[dp + j] * s;
                float b = delta[dn + j] * s;
                pixelDeltas[dp + j] = a + b;
                labelGradients[pos + j] += a;
                labelGradients[neg + j] += b;
            }
        }
        // Label columns gathered per label above (contiguous), added to their strided place once.
        for (int c = 0; c < classes; c++) {
            for (int j = 0; j < width; j++) {
                grad[j * stride + inputSize + c] += labelGradients[c * width + j];
            }
        }
        products.addOuterProducts(pixelDeltas, n, width, outputBits, pixels, inputSize, grad, 0, stride);
    }

    /**
     * {@code 1 / (norm([x, onehot(c)]) + eps)} for image {@code row}: the same for every label {@code c},
     * since a one-hot vector adds exactly 1 to the squared length.
     */
    static float inverseNorm(SimpleFFNetwork net, float[] pixels, int row) {
        int inputSize = net.inputSize();
        float squares = 1f + LaneSums.squares(pixels, row * inputSize, inputSize);
        return net.norm().inverse(squares, inputSize + net.classes());
    }
}
