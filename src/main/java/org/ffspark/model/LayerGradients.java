package org.ffspark.model;

import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.io.Serializable;
import org.ffspark.linalg.KernelTime;
import org.ffspark.linalg.RowAdditions;
import org.ffspark.wire.CompactFloats;
import org.ffspark.wire.WireForm;

/**
 * What one share of a training step contributes, per parameter block (the layers, then the simple
 * model's readout): the gradient sums of the block's local loss and the loss itself; per layer, the
 * goodness statistics and (with peer normalisation) the positives' activity sums. Shares of the same
 * step add up to the whole step's.
 *
 * <p>Losses and gradients are already divided by the step's batch size (the loss is a batch mean), so
 * the sum over all shares is exactly the batch's loss and gradient.
 *
 * <p>It also carries how long its computation took ({@link KernelTime}), so the driver can tell the
 * engine's overhead per step from the work itself.
 */
public final class LayerGradients implements Serializable {
    private static final long serialVersionUID = 3L;

    private final float[][] gradients;
    private final double[] loss;
    private final double[] positiveGoodness;
    private final double[] negativeGoodness;
    /** Per layer and unit, the activity summed over the positive samples; empty when not tracked. */
    private final float[][] activitySums;
    private int positives;
    private final KernelTime time;
    /**
     * The recurrent model's settling: sums of goodness per layer and iteration, positives at
     * {@code (l * iterations + t) * 2}, negatives at {@code ... + 1}; empty for the simple model.
     */
    private final double[] settling;
    /** Per layer, the parts of its weight gradient not yet added ({@link DeferredRows}); null until used. */
    private final DeferredRows[] deferred;

    public LayerGradients(FFNetwork shape) {
        this(shape, false);
    }

    /** @param activity whether to sum the positives' activities (for peer normalisation's running means) */
    public LayerGradients(FFNetwork shape, boolean activity) {
        int layers = shape.layers();
        int blocks = shape.blocks();
        gradients = new float[blocks][];
        for (int b = 0; b < blocks; b++) {
            gradients[b] = new float[shape.parameterCount(b)];
        }
        loss = new double[blocks];
        positiveGoodness = new double[layers];
        negativeGoodness = new double[layers];
        activitySums = new float[activity ? layers : 0][];
        for (int l = 0; l < activitySums.length; l++) {
            activitySums[l] = new float[shape.width(l)];
        }
        time = new KernelTime();
        settling = new double[settlingLength(shape)];
        deferred = new DeferredRows[layers];
    }

    /** Size of the settling sums of a network: 2 per layer and iteration, none for the simple model. */
    public static int settlingLength(FFNetwork shape) {
        return shape instanceof RecurrentFFNetwork r ? 2 * shape.layers() * r.dynamics().iterations() : 0;
    }

    private LayerGradients(float[][] gradients, double[] loss, double[] positiveGoodness,
                           double[] negativeGoodness, float[][] activitySums, int positives, KernelTime time,
                           double[] settling) {
        this.settling = settling;
        this.gradients = gradients;
        this.loss = loss;
        this.positiveGoodness = positiveGoodness;
        this.negativeGoodness = negativeGoodness;
        this.activitySums = activitySums;
        this.positives = positives;
        this.time = time;
        int layers = positiveGoodness.length;
        deferred = new DeferredRows[layers];
    }

    /** The parameter blocks: the layers, then the readout if any. */
    public int blocks() {
        return gradients.length;
    }

    public int layers() {
        return positiveGoodness.length;
    }

    /** The gradient of block {@code b}, laid out like its parameters (any deferred part added first). */
    public float[] gradient(int block) {
        if (deferred(block)) {
            deferred[block].addAll(gradients[block]);
        }
        return gradients[block];
    }

    /**
     * Layer {@code layer}'s deferred parts ({@link DeferredRows}) for a weight gradient of {@code width}
     * rows of {@code inputs}. A step's kernel takes the layer's {@link #gradient} (adding any earlier
     * parts) before it defers new ones.
     */
    DeferredRows defer(int layer, int width, int inputs) {
        DeferredRows d = deferred[layer];
        if (d == null || d.rows() != width || d.columnsPerRow() != inputs) {
            d = new DeferredRows(width, inputs);
            deferred[layer] = d;
        }
        return d;
    }

    /** Whether block {@code b} has parts not yet added: see {@link #deferredRows}. */
    public boolean deferred(int block) {
        return block < deferred.length && deferred[block] != null && deferred[block].pending();
    }

    /**
     * Block {@code b}'s deferred parts, row by row, for an optimizer that adds them to
     * {@link #gradientWithoutDeferred} in its pass; then {@link #deferredAdded}.
     */
    public RowAdditions deferredRows(int block) {
        return deferred[block];
    }

    /** The rows of the deferred block's weight gradient (its units). */
    public int deferredRowCount(int block) {
        return deferred[block].rows();
    }

    /** The columns of the deferred block's weight gradient (its inputs). */
    public int deferredColumnCount(int block) {
        return deferred[block].columnsPerRow();
    }

    /** The gradient as it is, without the deferred parts. */
    public float[] gradientWithoutDeferred(int block) {
        return gradients[block];
    }

    /** Records that block {@code b}'s deferred parts have been added. */
    public void deferredAdded(int block) {
        deferred[block].clear();
    }

    private void addDeferredEverywhere() {
        for (int l = 0; l < deferred.length; l++) {
            gradient(l);
        }
    }

    /** The block's loss over this share (a batch mean once all shares are added). */
    public double loss(int block) {
        return loss[block];
    }

    /** Whether the positives' activities are summed ({@link #activitySums}). */
    public boolean tracksActivity() {
        return activitySums.length > 0;
    }

    /** Per unit of a layer, its activity summed over the positive samples (live). */
    public float[] activitySums(int layer) {
        return activitySums[layer];
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

    /** Adds the loss share of a block that is not a layer (the readout). */
    void recordLoss(int block, double lossShare) {
        loss[block] += lossShare;
    }

    void recordIteration(int layer, int iteration, double positiveSum, double negativeSum) {
        int iterations = settling.length / (2 * positiveGoodness.length);
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
        java.util.Arrays.fill(loss, 0);
        java.util.Arrays.fill(positiveGoodness, 0);
        java.util.Arrays.fill(negativeGoodness, 0);
        for (float[] sums : activitySums) {
            java.util.Arrays.fill(sums, 0f);
        }
        java.util.Arrays.fill(settling, 0);
        positives = 0;
    }

    /** Adds another share of the same step into this one. */
    public LayerGradients add(LayerGradients other) {
        addDeferredEverywhere();
        other.addDeferredEverywhere();
        for (int b = 0; b < gradients.length; b++) {
            addInto(gradients[b], other.gradients[b]);
            loss[b] += other.loss[b];
        }
        for (int l = 0; l < positiveGoodness.length; l++) {
            positiveGoodness[l] += other.positiveGoodness[l];
            negativeGoodness[l] += other.negativeGoodness[l];
        }
        for (int l = 0; l < activitySums.length; l++) {
            addInto(activitySums[l], other.activitySums[l]);
        }
        for (int i = 0; i < settling.length; i++) {
            settling[i] += other.settling[i];
        }
        positives += other.positives;
        time.addConcurrent(other.time);
        return this;
    }

    private static void addInto(float[] sum, float[] values) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += values[i];
        }
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
            value.addDeferredEverywhere();
            CompactFloats.writeAll(out, value.gradients);
            out.writeObject(value.loss);
            out.writeObject(value.positiveGoodness);
            out.writeObject(value.negativeGoodness);
            CompactFloats.writeAll(out, value.activitySums);
            out.writeInt(value.positives);
            out.writeObject(value.time);
            out.writeObject(value.settling);
        }

        @Override
        protected LayerGradients read(ObjectInput in) throws IOException, ClassNotFoundException {
            float[][] gradients = CompactFloats.readAll(in);
            return new LayerGradients(gradients, (double[]) in.readObject(), (double[]) in.readObject(),
                    (double[]) in.readObject(), CompactFloats.readAll(in), in.readInt(), (KernelTime) in.readObject(),
                    (double[]) in.readObject());
        }
    }
}
