package org.ffspark.model;

import org.ffspark.linalg.Gemm;
import org.ffspark.linalg.LaneSums;
import org.ffspark.linalg.ProductPrecision;
import org.ffspark.linalg.ReluProducts;

/**
 * The simple network's scores of every label for a block of images, under either {@link Classifier}:
 * the goodness summed over the scoring layers under each label hypothesis, or the readout's logits
 * from one neutral pass. The predicted label is the one with the highest score.
 *
 * <p>The pixel product {@code W_x x} of layer 0 does not depend on the label and is computed once per
 * image; each hypothesis adds its column of {@code W}. Deeper layers run all hypotheses of a chunk
 * of images as one block. An instance holds work buffers: use one per thread.
 */
public final class LabelScorer {
    /** Images scored together: bounds the work buffers to {@code chunk * classes * width} floats. */
    private static final int CHUNK = 128;

    private float[] pixelProducts = new float[0];
    private float[] activities = new float[0];
    private float[] next = new float[0];
    private float[] normalised = new float[0];
    private float[] labelWeights = new float[0];
    private final ReluProducts products = new ReluProducts();
    private final NeutralPass neutralPass = new NeutralPass(products);

    /**
     * Fills {@code scores[i * classes + c]} with image {@code i}'s score of label {@code c} under the
     * network's own classifier.
     *
     * @param pixels {@code n x inputSize} row-major, scaled to [0, 1]
     */
    public void score(SimpleFFNetwork net, float[] pixels, int n, float[] scores) {
        if (net.design().classifier() == Classifier.READOUT) {
            readoutLogits(net, pixels, n, scores);
        } else {
            score(net, pixels, n, net.scoreFrom(), net.layers(), scores);
        }
    }

    /** The goodness summed over layers {@code from} (inclusive) to {@code to} (exclusive), 0-based. */
    public void score(SimpleFFNetwork net, float[] pixels, int n, int from, int to, float[] goodness) {
        int inputSize = net.inputSize();
        float[] chunkPixels = new float[Math.min(CHUNK, Math.max(n, 1)) * inputSize];
        // The weights may have changed since the last call (a training step scoring its negatives).
        products.weightsChanged();
        for (int start = 0; start < n; start += CHUNK) {
            int m = Math.min(CHUNK, n - start);
            System.arraycopy(pixels, start * inputSize, chunkPixels, 0, m * inputSize);
            scoreChunk(net, chunkPixels, m, from, Math.min(to, net.layers()), goodness, start * net.classes());
        }
    }

    /** The readout's logits of every label from one neutral pass per image. */
    public void readoutLogits(SimpleFFNetwork net, float[] pixels, int n, float[] logits) {
        neutralPass(net, pixels, n, logits, null);
    }

    /**
     * The readout's inputs ({@link SimpleFFNetwork#readoutInputs()} per image, row-major): the normalised
     * activities of the scoring layers after one neutral pass.
     */
    public void readoutFeatures(SimpleFFNetwork net, float[] pixels, int n, float[] features) {
        neutralPass(net, pixels, n, null, features);
    }

    private void neutralPass(SimpleFFNetwork net, float[] pixels, int n, float[] logits, float[] allFeatures) {
        int inputSize = net.inputSize();
        int classes = net.classes();
        int width = net.width(0);
        products.weightsChanged();
        labelWeights = LayerPasses.grow(labelWeights, classes * width);
        net.copyLabelColumns(labelWeights);
        float[] chunkPixels = new float[Math.min(CHUNK, Math.max(n, 1)) * inputSize];
        float[] chunkLogits = logits == null ? null : new float[Math.min(CHUNK, Math.max(n, 1)) * classes];
        for (int start = 0; start < n; start += CHUNK) {
            int m = Math.min(CHUNK, n - start);
            System.arraycopy(pixels, start * inputSize, chunkPixels, 0, m * inputSize);
            pixelProducts = LayerPasses.grow(pixelProducts, m * width);
            Gemm.timesTransposedWeights(chunkPixels, m, inputSize, net.parameters(0), net.inputs(0), width,
                    pixelProducts);
            float[] features = neutralPass.features(net, chunkPixels, m, pixelProducts, labelWeights,
                    ProductPrecision.FLOAT32);
            if (logits != null) {
                NeutralPass.logits(net, features, m, chunkLogits);
                System.arraycopy(chunkLogits, 0, logits, start * classes, m * classes);
            } else {
                int inputs = net.readoutInputs();
                System.arraycopy(features, 0, allFeatures, start * inputs, m * inputs);
            }
        }
    }

    /** The label with the highest score for each image (the first on ties). */
    public static int[] predictions(float[] scores, int n, int classes) {
        int[] predicted = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (scores[i * classes + c] > scores[i * classes + best]) {
                    best = c;
                }
            }
            predicted[i] = best;
        }
        return predicted;
    }

    private void scoreChunk(SimpleFFNetwork net, float[] pixels, int n, int from, int to, float[] goodness,
                            int offset) {
        int classes = net.classes();
        int inputSize = net.inputSize();
        int rows = n * classes;
        java.util.Arrays.fill(goodness, offset, offset + rows, 0f);

        int width = net.width(0);
        int stride = net.inputs(0);
        float[] params = net.parameters(0);
        int bias = net.biasOffset(0);
        pixelProducts = LayerPasses.grow(pixelProducts, n * width);
        Gemm.timesTransposedWeights(pixels, n, inputSize, params, stride, width, pixelProducts);
        activities = LayerPasses.grow(activities, rows * width);
        labelWeights = LayerPasses.grow(labelWeights, classes * width);
        net.copyLabelColumns(labelWeights);
        for (int i = 0; i < n; i++) {
            float inv = FirstLayer.inverseNorm(net, pixels, i);
            for (int c = 0; c < classes; c++) {
                int row = (i * classes + c) * width;
                int label = c * width;
                for (int j = 0; j < width; j++) {
                    float z = (pixelProducts[i * width + j] + labelWeights[label + j]) * inv
                            + params[bias + j];
                    activities[row + j] = Math.max(z, 0f);
                }
            }
        }
        if (from == 0) {
            addGoodness(net.rule(), activities, rows, width, goodness, offset);
        }
        for (int l = 1; l < to; l++) {
            int inputs = width;
            width = net.width(l);
            normalised = LayerPasses.grow(normalised, rows * inputs);
            Activation.normaliseRows(net.norm(), activities, rows, inputs, normalised);
            next = LayerPasses.grow(next, rows * width);
            // A wrong label lights a few units of a trained layer: the sparse product's case.
            products.timesTransposedWeights(l, normalised, rows, inputs, net.parameters(l), 0, inputs, width, next);
            LayerPasses.addBiasAndRelu(next, rows, width, net.parameters(l), net.biasOffset(l), null);
            if (l >= from) {
                addGoodness(net.rule(), next, rows, width, goodness, offset);
            }
            float[] t = activities;
            activities = next;
            next = t;
        }
    }

    private static void addGoodness(GoodnessRule rule, float[] h, int rows, int width,
                                    float[] goodness, int offset) {
        for (int r = 0; r < rows; r++) {
            goodness[offset + r] += rule.goodness(LaneSums.squares(h, r * width, width), width);
        }
    }
}
