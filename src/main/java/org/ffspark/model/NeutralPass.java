package org.ffspark.model;

import org.ffspark.linalg.ActiveColumns;
import org.ffspark.linalg.Gemm;
import org.ffspark.linalg.LaneSums;
import org.ffspark.linalg.ProductPrecision;
import org.ffspark.linalg.ReluProducts;
import org.ffspark.linalg.StepProfile;

/**
 * Images run once through a simple FF network with the neutral label ({@code 1/classes} on every label
 * unit: no label favoured), and the readout's view of them: the normalised activities of the layers
 * from {@link SimpleFFNetwork#scoreFrom()}, side by side, and the readout's logits. The paper's quick
 * classifier; also what the readout learns from and what readout negatives are drawn from. An instance
 * holds work buffers: use one per thread.
 */
final class NeutralPass {
    private float[] neutralColumn = new float[0];
    private float[] activities = new float[0];
    private float[] next = new float[0];
    private float[] normalised = new float[0];
    private float[] features = new float[0];
    // The current layer's column bits ORed: which of its units any image lit (LaneSums#addBiasRelu).
    private int[] bits = new int[0];
    private final ReluProducts sparse;
    private final ActiveColumns active = new ActiveColumns();

    /** @param sparse products that skip ReLU's zeros (for repeated scoring), or null for BLAS alone */
    NeutralPass(ReluProducts sparse) {
        this.sparse = sparse;
    }

    /**
     * The readout's inputs of {@code n} images, {@code n x readoutInputs} row-major (valid until the next
     * call).
     *
     * @param pixelProducts {@code W_x x} of the images, {@code n x width(0)}: the label-free part of
     *                      layer 0, which the caller has computed for the labelled rows anyway
     * @param labelWeights  layer 0's label columns ({@link SimpleFFNetwork#copyLabelColumns})
     */
    float[] features(SimpleFFNetwork net, float[] pixels, int n, float[] pixelProducts, float[] labelWeights,
                     ProductPrecision precision) {
        long t = StepProfile.start();
        try {
            return computeFeatures(net, pixels, n, pixelProducts, labelWeights, precision);
        } finally {
            StepProfile.add("neutral pass, between its products", t, 0);
        }
    }

    private float[] computeFeatures(SimpleFFNetwork net, float[] pixels, int n, float[] pixelProducts,
                                    float[] labelWeights, ProductPrecision precision) {
        int layers = net.layers();
        int classes = net.classes();
        int inputSize = net.inputSize();
        InputNorm norm = net.norm();
        int width = net.width(0);
        float share = 1f / classes;
        neutralColumn = LayerPasses.grow(neutralColumn, width);
        java.util.Arrays.fill(neutralColumn, 0, width, 0f);
        for (int c = 0; c < classes; c++) {
            for (int j = 0; j < width; j++) {
                neutralColumn[j] += share * labelWeights[c * width + j];
            }
        }
        float[] params = net.parameters(0);
        int bias = net.biasOffset(0);
        // Each label unit holds 1/classes: the label adds classes * (1/classes)^2 to the squared length.
        float labelSquares = classes * share * share;
        activities = LayerPasses.grow(activities, n * width);
        bits = LayerPasses.grow(bits, width);
        java.util.Arrays.fill(bits, 0, width, 0);
        for (int i = 0; i < n; i++) {
            float s = norm.inverse(labelSquares + LaneSums.squares(pixels, i * inputSize, inputSize),
                    inputSize + classes);
            LaneSums.shiftedRelu(pixelProducts, i * width, neutralColumn, 0, s, params, bias, activities, i * width,
                    width, bits);
        }
        int total = net.readoutInputs();
        features = LayerPasses.grow(features, n * total);
        int column = 0;
        for (int l = 0; l < layers; l++) {
            int inputs = width;
            normalised = LayerPasses.grow(normalised, n * inputs);
            Activation.normaliseRows(norm, activities, n, inputs, normalised);
            if (l >= net.scoreFrom()) {
                for (int i = 0; i < n; i++) {
                    System.arraycopy(normalised, i * inputs, features, i * total + column, inputs);
                }
                column += inputs;
            }
            if (l + 1 == layers) {
                break;
            }
            width = net.width(l + 1);
            next = LayerPasses.grow(next, n * width);
            float[] p = net.parameters(l + 1);
            if (sparse != null) {
                sparse.timesTransposedWeights(l + 1, normalised, n, inputs, p, 0, inputs, width, next);
            } else {
                LayerPasses.timesWeights(active, normalised, n, inputs, bits, p, width, next, precision);
            }
            bits = LayerPasses.grow(bits, width);
            LayerPasses.addBiasAndRelu(next, n, width, p, net.biasOffset(l + 1), bits);
            float[] t = activities;
            activities = next;
            next = t;
        }
        return features;
    }

    /** {@code logits[i * classes + c]}: the readout's score of label {@code c} for row {@code i} of {@code features}. */
    static void logits(SimpleFFNetwork net, float[] features, int n, float[] logits) {
        int inputs = net.readoutInputs();
        Gemm.timesTransposedWeights(features, n, inputs, net.parameters(net.readoutBlock()), inputs, net.classes(),
                logits);
    }
}
