package org.ffspark.model;

/**
 * Prediction by goodness: for every image, the goodness summed over all layers under each of the
 * {@code classes} label hypotheses; the predicted label is the one with the highest.
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

    /**
     * Fills {@code goodness[i * classes + c]} with the goodness of image {@code i} under label
     * {@code c}, summed over layers.
     *
     * @param pixels {@code n x inputSize} row-major, scaled to [0, 1]
     */
    public void score(SimpleFFNetwork net, float[] pixels, int n, float[] goodness) {
        score(net, pixels, n, net.layers(), goodness);
    }

    /** As above, the goodness summed over the first {@code layers} layers only. */
    public void score(SimpleFFNetwork net, float[] pixels, int n, int layers, float[] goodness) {
        int inputSize = net.inputSize();
        int scored = Math.min(layers, net.layers());
        float[] chunkPixels = new float[Math.min(CHUNK, Math.max(n, 1)) * inputSize];
        // The weights may have changed since the last call (a training step scoring its negatives).
        products.weightsChanged();
        for (int start = 0; start < n; start += CHUNK) {
            int m = Math.min(CHUNK, n - start);
            System.arraycopy(pixels, start * inputSize, chunkPixels, 0, m * inputSize);
            scoreChunk(net, chunkPixels, m, scored, goodness, start * net.classes());
        }
    }

    /** The label with the highest goodness for each image (the first on ties). */
    public static int[] predictions(float[] goodness, int n, int classes) {
        int[] predicted = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (goodness[i * classes + c] > goodness[i * classes + best]) {
                    best = c;
                }
            }
            predicted[i] = best;
        }
        return predicted;
    }

    private void scoreChunk(SimpleFFNetwork net, float[] pixels, int n, int layers, float[] goodness, int offset) {
        int classes = net.classes();
        int inputSize = net.inputSize();
        int rows = n * classes;
        java.util.Arrays.fill(goodness, offset, offset + rows, 0f);

        int width = net.width(0);
        int stride = net.inputs(0);
        float[] params = net.parameters(0);
        int bias = net.biasOffset(0);
        pixelProducts = LocalLearning.grow(pixelProducts, n * width);
        Gemm.timesTransposedWeights(pixels, n, inputSize, params, stride, width, pixelProducts);
        activities = LocalLearning.grow(activities, rows * width);
        labelWeights = LocalLearning.grow(labelWeights, classes * width);
        net.copyLabelColumns(labelWeights);
        for (int i = 0; i < n; i++) {
            float inv = LocalLearning.inverseFirstLayerLength(pixels, i, inputSize);
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
        addGoodness(net.rule(), activities, rows, width, goodness, offset);

        for (int l = 1; l < layers; l++) {
            int inputs = width;
            width = net.width(l);
            normalised = LocalLearning.grow(normalised, rows * inputs);
            Activation.normaliseRows(activities, rows, inputs, normalised);
            next = LocalLearning.grow(next, rows * width);
            // A wrong label lights a few units of a trained layer: the sparse product's case.
            products.timesTransposedWeights(l, normalised, rows, inputs, net.parameters(l), 0, inputs, width, next);
            LocalLearning.addBiasAndRelu(next, rows, width, net.parameters(l), net.biasOffset(l));
            addGoodness(net.rule(), next, rows, width, goodness, offset);
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
