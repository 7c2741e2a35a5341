package org.ffspark.model;

import java.util.Arrays;
import org.ffspark.linalg.ActiveColumns;
import org.ffspark.linalg.LaneSums;

/**
 * Peer normalisation's share of a layer's gradient on a step ({@link PeerNormalisation}): each unit's
 * constant derivative, summed over the positives, times the layer's input. The biases' share is added to
 * the gradient at once; the weights' share, a rank-one term {@code units x input sums}, is deferred to the
 * optimizer's pass over the gradient ({@link DeferredRows#rankOne}). An instance holds work buffers: use
 * one per thread.
 */
final class PeerGradient {
    private float[] units = new float[0];
    private float[] inputSums = new float[0];

    /**
     * For a layer whose input was packed to its active columns ({@code packed[rows x u]}, the {@code n}
     * positives first): the input sums spread back to their columns.
     */
    void onActiveColumns(SimpleFFNetwork net, int l, int n, float[] packed, int u, ActiveColumns active,
                         float peerNorm, int batchSize, float[] grad, LayerGradients out) {
        float[] factors = unitFactors(net, l, n, peerNorm, batchSize, grad);
        inputSums = LayerPasses.grow(inputSums, u);
        Arrays.fill(inputSums, 0, u, 0f);
        for (int i = 0; i < n; i++) {
            LaneSums.addScaled(1f, packed, i * u, inputSums, 0, u); // times 1: exact, and in vectors
        }
        active.spread(inputSums, out.defer(l, net.width(l), net.inputs(l)).rankOne(factors));
    }

    /** For a layer whose whole input is {@code inputs[rows x net.inputs(l)]}, the {@code n} positives first. */
    void onInputs(SimpleFFNetwork net, int l, int n, float[] inputs, float peerNorm, int batchSize, float[] grad,
                  LayerGradients out) {
        int width = net.inputs(l);
        float[] factors = unitFactors(net, l, n, peerNorm, batchSize, grad);
        float[] sums = out.defer(l, net.width(l), width).rankOne(factors);
        for (int i = 0; i < n; i++) {
            LaneSums.addScaled(1f, inputs, i * width, sums, 0, width);
        }
    }

    /**
     * For layer 0, whose input is each positive's pixels and one-hot label scaled by
     * {@code inverseLengths[i]} (never stored as rows: see {@link FirstLayer}).
     */
    void onPixels(SimpleFFNetwork net, int n, float[] pixels, float[] inverseLengths, int[] positive, float peerNorm,
                  int batchSize, float[] grad, LayerGradients out) {
        int inputSize = net.inputSize();
        float[] factors = unitFactors(net, 0, n, peerNorm, batchSize, grad);
        float[] sums = out.defer(0, net.width(0), net.inputs(0)).rankOne(factors);
        for (int i = 0; i < n; i++) {
            float s = inverseLengths[i];
            for (int k = 0; k < inputSize; k++) {
                sums[k] += pixels[i * inputSize + k] * s;
            }
            sums[inputSize + positive[i]] += s;
        }
    }

    /** Each unit's peer derivative of layer {@code l}, with the biases' share added to {@code grad}. */
    private float[] unitFactors(SimpleFFNetwork net, int l, int n, float peerNorm, int batchSize, float[] grad) {
        int width = net.width(l);
        units = LayerPasses.grow(units, width);
        PeerNormalisation.unitGradients(net.unitMeans(l), width, peerNorm, batchSize, units);
        int bias = net.biasOffset(l);
        for (int j = 0; j < width; j++) {
            grad[bias + j] += units[j] * n;
        }
        return units;
    }
}
