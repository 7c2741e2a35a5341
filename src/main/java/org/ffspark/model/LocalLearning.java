package org.ffspark.model;

/**
 * The simple FF network's local learning rule on a share of a mini-batch (FF-REFERENCE.md, section 1).
 *
 * <p>Every layer gets the loss {@code mean(softplus(theta - g_pos)) + mean(softplus(g_neg - theta))}
 * on its own goodness, with its input detached: the gradient reaches only its own weights and biases.
 * Layer {@code l + 1} sees layer {@code l}'s output computed with the weights before this step's update,
 * as in the notebook. Positives and negatives are stacked into one {@code 2n x width} block per layer
 * so a layer costs one forward and one weight-gradient product.
 *
 * <p>Layer 0's normalised input {@code [x, onehot(c)] / (sqrt(|x|^2 + 1) + eps)} has the same length
 * whatever the label, so {@code W_x x} is computed once for the positive and the negative and each
 * label only adds its column of {@code W}; the weight gradient of the pixel block is one product for
 * both. An instance holds work buffers: use one per thread.
 */
public final class LocalLearning {
    /** Added to a row's length before dividing, as the notebook does. */
    public static final float NORM_EPSILON = 1e-8f;

    private float[] pixelProducts = new float[0];
    private float[] inverseLengths = new float[0];
    // Two activity buffers, alternated between layers: layer l reads l-1's while writing its own.
    private float[] activities = new float[0];
    private float[] activitiesOdd = new float[0];
    private float[] normalised = new float[0];
    private float[] deltas = new float[0];
    private float[] pixelDeltas = new float[0];
    private float[] labelWeights = new float[0];
    private float[] labelGradients = new float[0];
    private final ReluProducts products = new ReluProducts();
    // Set by scoreFirstLayer: its pixel products serve the next accumulate on the same pixels.
    private float[] scoredPixels;
    private int scoredCount;

    /**
     * Adds to {@code out} the share of the step's loss and gradient contributed by {@code n} samples.
     *
     * @param pixels    {@code n x inputSize} row-major, scaled to [0, 1]
     * @param positive  the true label of each sample
     * @param negative  the wrong label of each sample's negative copy
     * @param batchSize the whole step's batch size, by which the losses are averaged
     */
    public void accumulate(SimpleFFNetwork net, float[] pixels, int[] positive, int[] negative,
                           int n, int batchSize, LayerGradients out) {
        boolean scored = scoredPixels == pixels && scoredCount == n;
        scoredPixels = null;
        if (n == 0) {
            return;
        }
        int rows = 2 * n;
        float invBatch = 1f / batchSize;
        float[] input = firstLayer(net, pixels, positive, negative, n, scored);
        int inputWidth = 0;
        for (int l = 0; l < net.layers(); l++) {
            int width = net.width(l);
            float[] params = net.parameters(l);
            float[] h;
            if (l == 0) {
                h = input;
            } else {
                normaliseRows(input, rows, inputWidth);
                h = ensure(l % 2 == 0 ? 0 : 1, rows * width);
                Gemm.timesTransposedWeights(normalised, rows, inputWidth, params, inputWidth, width, h);
                addBiasAndRelu(h, rows, width, params, net.biasOffset(l));
            }
            float[] delta = lossAndDeltas(net.rule(), h, n, width, invBatch, l, out);
            float[] grad = out.gradient(l);
            if (l == 0) {
                firstLayerGradient(net, pixels, positive, negative, n, delta, grad);
            } else {
                products.addOuterProducts(delta, rows, width, normalised, inputWidth, grad, 0, inputWidth);
            }
            addBiasGradient(delta, rows, width, grad, net.biasOffset(l));
            input = h;
            inputWidth = width;
        }
        out.countPositives(n);
    }

    /**
     * Fills {@code goodness[i * classes + c]} with layer 0's goodness of image {@code i} under label
     * {@code c}, equal to {@link LabelScorer} scoring one layer. Costs no product beyond the pixel
     * product {@code W_x x} a training step needs anyway: the next {@link #accumulate} on the same
     * {@code pixels} and count, with the weights unchanged, reuses it.
     */
    public void scoreFirstLayer(SimpleFFNetwork net, float[] pixels, int n, float[] goodness) {
        int width = net.width(0);
        int classes = net.classes();
        float[] params = net.parameters(0);
        int bias = net.biasOffset(0);
        float[] inv = pixelProductsOf(net, pixels, n);
        GoodnessRule rule = net.rule();
        for (int i = 0; i < n; i++) {
            int p = i * width;
            float s = inv[i];
            for (int c = 0; c < classes; c++) {
                float squares = LaneSums.shiftedReluSquares(pixelProducts, p, labelWeights, c * width, s, params,
                        bias, width);
                goodness[i * classes + c] = rule.goodness(squares, width);
            }
        }
        scoredPixels = pixels;
        scoredCount = n;
    }

    /**
     * Computes {@code W_x x} into {@code pixelProducts}, the label columns into {@code labelWeights}
     * and returns the images' inverse lengths.
     */
    private float[] pixelProductsOf(SimpleFFNetwork net, float[] pixels, int n) {
        int inputSize = net.inputSize();
        int width = net.width(0);
        float[] inv = inverseLengths(pixels, n, inputSize);
        pixelProducts = grow(pixelProducts, n * width);
        Gemm.timesTransposedWeights(pixels, n, inputSize, net.parameters(0), net.inputs(0), width, pixelProducts);
        labelWeights = grow(labelWeights, net.classes() * width);
        net.copyLabelColumns(labelWeights);
        return inv;
    }

    /**
     * Layer 0's activities for positives (rows 0..n-1) and negatives (rows n..2n-1); {@code scored}:
     * {@link #scoreFirstLayer} has just computed the pixel products of these pixels.
     */
    private float[] firstLayer(SimpleFFNetwork net, float[] pixels, int[] positive, int[] negative,
                               int n, boolean scored) {
        int width = net.width(0);
        float[] params = net.parameters(0);
        int bias = net.biasOffset(0);
        float[] inv = scored ? inverseLengths : pixelProductsOf(net, pixels, n);
        float[] h = ensure(0, 2 * n * width);
        for (int i = 0; i < n; i++) {
            int pos = positive[i] * width;
            int neg = negative[i] * width;
            int p = i * width;
            int hn = (n + i) * width;
            float s = inv[i];
            for (int j = 0; j < width; j++) {
                float wx = pixelProducts[p + j];
                float b = params[bias + j];
                float zp = (wx + labelWeights[pos + j]) * s + b;
                float zn = (wx + labelWeights[neg + j]) * s + b;
                h[p + j] = Math.max(zp, 0f);
                h[hn + j] = Math.max(zn, 0f);
            }
        }
        return h;
    }

    private void firstLayerGradient(SimpleFFNetwork net, float[] pixels, int[] positive,
                                    int[] negative, int n, float[] delta, float[] grad) {
        int inputSize = net.inputSize();
        int stride = net.inputs(0);
        int width = net.width(0);
        int classes = net.classes();
        float[] inv = inverseLengths;
        pixelDeltas = grow(pixelDeltas, n * width);
        labelGradients = grow(labelGradients, classes * width);
        java.util.Arrays.fill(labelGradients, 0, classes * width, 0f);
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
        products.addOuterProducts(pixelDeltas, n, width, pixels, inputSize, grad, 0, stride);
    }

    /**
     * Goodness, loss and {@code dLoss/dz} for a layer's stacked activities; records the statistics.
     * Returns the deltas, {@code 2n x width}.
     */
    private float[] lossAndDeltas(GoodnessRule rule, float[] h, int n, int width, float invBatch,
                                  int layer, LayerGradients out) {
        int rows = 2 * n;
        deltas = grow(deltas, rows * width);
        float theta = rule.threshold(width);
        float dSquare = 2f * rule.squareWeight(width);
        double loss = 0;
        double positiveSum = 0;
        double negativeSum = 0;
        for (int r = 0; r < rows; r++) {
            int base = r * width;
            float squares = LaneSums.squares(h, base, width);
            float g = rule.goodness(squares, width);
            float dLossDg;
            if (r < n) {
                positiveSum += g;
                loss += Activation.softplus(theta - g);
                dLossDg = -Activation.sigmoid(theta - g) * invBatch;
            } else {
                negativeSum += g;
                loss += Activation.softplus(g - theta);
                dLossDg = Activation.sigmoid(g - theta) * invBatch;
            }
            float scale = dLossDg * dSquare;
            for (int j = 0; j < width; j++) {
                deltas[base + j] = scale * h[base + j];
            }
        }
        out.record(layer, loss * invBatch, positiveSum, negativeSum);
        return deltas;
    }

    private float[] inverseLengths(float[] pixels, int n, int inputSize) {
        inverseLengths = grow(inverseLengths, n);
        for (int i = 0; i < n; i++) {
            inverseLengths[i] = inverseFirstLayerLength(pixels, i, inputSize);
        }
        return inverseLengths;
    }

    /**
     * {@code 1 / (|[x, onehot(c)]| + eps)} for image {@code row}: the same for every label {@code c},
     * since a one-hot vector adds exactly 1 to the squared length.
     */
    static float inverseFirstLayerLength(float[] pixels, int row, int inputSize) {
        float squares = 1f + LaneSums.squares(pixels, row * inputSize, inputSize);
        return 1f / ((float) Math.sqrt(squares) + NORM_EPSILON);
    }

    private void normaliseRows(float[] in, int rows, int width) {
        normalised = grow(normalised, rows * width);
        Activation.normaliseRows(in, rows, width, normalised);
    }

    /** ReLU as Math.max, which the JIT vectorises (a conditional it does not); NaN stays NaN. */
    static void addBiasAndRelu(float[] z, int rows, int width, float[] params, int biasOffset) {
        for (int r = 0; r < rows; r++) {
            int base = r * width;
            for (int j = 0; j < width; j++) {
                float v = z[base + j] + params[biasOffset + j];
                z[base + j] = Math.max(v, 0f);
            }
        }
    }

    private static void addBiasGradient(float[] delta, int rows, int width, float[] grad, int biasOffset) {
        for (int r = 0; r < rows; r++) {
            int base = r * width;
            for (int j = 0; j < width; j++) {
                grad[biasOffset + j] += delta[base + j];
            }
        }
    }

    private float[] ensure(int which, int size) {
        if (which == 0) {
            activities = grow(activities, size);
            return activities;
        }
        activitiesOdd = grow(activitiesOdd, size);
        return activitiesOdd;
    }

    static float[] grow(float[] buffer, int size) {
        return buffer.length >= size ? buffer : new float[size];
    }
}
