package org.ffspark.model;

import java.io.Serializable;

/**
 * What one share of a training step contributes, per layer: the gradient sums of the layer's local
 * loss, the loss itself and goodness statistics. Shares of the same step add up to the whole step's.
 *
 * <p>Losses and gradients are already divided by the step's batch size (the loss is a batch mean), so
 * the sum over all shares is exactly the batch's loss and gradient.
 */
public final class LayerGradients implements Serializable {
    private static final long serialVersionUID = 1L;

    private final float[][] gradients;
    private final double[] loss;
    private final double[] positiveGoodness;
    private final double[] negativeGoodness;
    private int positives;

    public LayerGradients(SimpleFFNetwork shape) {
        int layers = shape.layers();
        gradients = new float[layers][];
        for (int l = 0; l < layers; l++) {
            gradients[l] = new float[shape.parameterCount(l)];
        }
        loss = new double[layers];
        positiveGoodness = new double[layers];
        negativeGoodness = new double[layers];
    }

    public int layers() {
        return gradients.length;
    }

    /** The gradient of layer {@code l}, laid out like its parameters. */
    public float[] gradient(int layer) {
        return gradients[layer];
    }

    /** The layer's loss over this share (a batch mean once all shares are added). */
    public double loss(int layer) {
        return loss[layer];
    }

    /** Sum of the positive samples' goodness at a layer. */
    public double positiveGoodnessSum(int layer) {
        return positiveGoodness[layer];
    }

    public double negativeGoodnessSum(int layer) {
        return negativeGoodness[layer];
    }

    /** Number of positive samples (equal to the number of negatives). */
    public int positives() {
        return positives;
    }

    void record(int layer, double lossShare, double positiveSum, double negativeSum) {
        loss[layer] += lossShare;
        positiveGoodness[layer] += positiveSum;
        negativeGoodness[layer] += negativeSum;
    }

    void countPositives(int n) {
        positives += n;
    }

    /** Adds another share of the same step into this one. */
    public LayerGradients add(LayerGradients other) {
        for (int l = 0; l < gradients.length; l++) {
            float[] g = gradients[l];
            float[] o = other.gradients[l];
            for (int i = 0; i < g.length; i++) {
                g[i] += o[i];
            }
            loss[l] += other.loss[l];
            positiveGoodness[l] += other.positiveGoodness[l];
            negativeGoodness[l] += other.negativeGoodness[l];
        }
        positives += other.positives;
        return this;
    }
}
