package org.ffspark.model;

import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.io.Serializable;

/**
 * What one share of a training step contributes, per layer: the gradient sums of the layer's local
 * loss, the loss itself and goodness statistics. Shares of the same step add up to the whole step's.
 *
 * <p>Losses and gradients are already divided by the step's batch size (the loss is a batch mean), so
 * the sum over all shares is exactly the batch's loss and gradient.
 *
 * <p>It also carries how long its computation took ({@link KernelTime}), so the driver can tell the
 * engine's overhead per step from the work itself.
 */
public final class LayerGradients implements Serializable {
    private static final long serialVersionUID = 2L;

    private final float[][] gradients;
    private final double[] loss;
    private final double[] positiveGoodness;
    private final double[] negativeGoodness;
    private int positives;
    private final KernelTime time;
    /**
     * The recurrent model's settling: sums of goodness per layer and iteration, positives at
     * {@code (l * iterations + t) * 2}, negatives at {@code ... + 1}; empty for the simple model.
     */
    private final double[] settling;

    public LayerGradients(FFNetwork shape) {
        int layers = shape.layers();
        gradients = new float[layers][];
        for (int l = 0; l < layers; l++) {
            gradients[l] = new float[shape.parameterCount(l)];
        }
        loss = new double[layers];
        positiveGoodness = new double[layers];
        negativeGoodness = new double[layers];
        time = new KernelTime();
        settling = new double[settlingLength(shape)];
    }

    /** Size of the settling sums of a network: 2 per layer and iteration, none for the simple model. */
    public static int settlingLength(FFNetwork shape) {
        return shape instanceof RecurrentFFNetwork r ? 2 * shape.layers() * r.dynamics().iterations() : 0;
    }

    private LayerGradients(float[][] gradients, double[] loss, double[] positiveGoodness,
                           double[] negativeGoodness, int positives, KernelTime time, double[] settling) {
        this.settling = settling;
        this.gradients = gradients;
        this.loss = loss;
        this.positiveGoodness = positiveGoodness;
        this.negativeGoodness = negativeGoodness;
        this.positives = positives;
        this.time = time;
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

    /** Time spent computing this share (for a sum of shares: the longest share, and summed products). */
    public KernelTime time() {
        return time;
    }

    void record(int layer, double lossShare, double positiveSum, double negativeSum) {
        loss[layer] += lossShare;
        positiveGoodness[layer] += positiveSum;
        negativeGoodness[layer] += negativeSum;
    }

    void recordIteration(int layer, int iteration, double positiveSum, double negativeSum) {
        int iterations = settling.length / (2 * gradients.length);
        settling[(layer * iterations + iteration) * 2] += positiveSum;
        settling[(layer * iterations + iteration) * 2 + 1] += negativeSum;
    }

    /** Goodness sums per layer and iteration (see the field); empty for the simple model. */
    public double[] settlingSums() {
        return settling;
    }

    void countPositives(int n) {
        positives += n;
    }

    /** Zeroes the loss and goodness sums only, for gradients already zeroed (Adam#stepAndClear). */
    public void clearStatistics() {
        for (int l = 0; l < gradients.length; l++) {
            loss[l] = 0;
            positiveGoodness[l] = 0;
            negativeGoodness[l] = 0;
        }
        java.util.Arrays.fill(settling, 0);
        positives = 0;
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
        for (int i = 0; i < settling.length; i++) {
            settling[i] += other.settling[i];
        }
        positives += other.positives;
        time.addConcurrent(other.time);
        return this;
    }

    /** Serialized through a compact form: a share crosses the wire every step (see CompactFloats). */
    private Object writeReplace() {
        return new Wire(this);
    }

    private static final class Wire extends WireForm<LayerGradients> {
        private static final long serialVersionUID = 1L;

        public Wire() {
            // for deserialization
        }

        Wire(LayerGradients value) {
            super(value);
        }

        @Override
        protected void write(LayerGradients value, ObjectOutput out) throws IOException {
            CompactFloats.writeAll(out, value.gradients);
            out.writeObject(value.loss);
            out.writeObject(value.positiveGoodness);
            out.writeObject(value.negativeGoodness);
            out.writeInt(value.positives);
            out.writeObject(value.time);
            out.writeObject(value.settling);
        }

        @Override
        protected LayerGradients read(ObjectInput in) throws IOException, ClassNotFoundException {
            float[][] gradients = CompactFloats.readAll(in);
            return new LayerGradients(gradients, (double[]) in.readObject(), (double[]) in.readObject(),
                    (double[]) in.readObject(), in.readInt(), (KernelTime) in.readObject(), (double[]) in.readObject());
        }
    }
}
