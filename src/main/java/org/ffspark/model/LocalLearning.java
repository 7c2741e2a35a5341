package org.ffspark.model;

import org.ffspark.linalg.ActiveColumns;
import org.ffspark.linalg.Gemm;
import org.ffspark.linalg.LaneSums;
import org.ffspark.linalg.ProductPrecision;
import org.ffspark.linalg.ReluProducts;
import org.ffspark.linalg.StepProfile;

/**
 * The simple FF network's local learning rule on a share of a mini-batch.
 *
 * <p>Every layer gets the loss {@code mean(softplus(theta - g_pos)) + mean(softplus(g_neg - theta))}
 * on its own goodness, with its input detached: the gradient reaches only its own weights and biases.
 * Layer {@code l + 1} sees layer {@code l}'s output computed with the weights before this step's update,
 * as in the notebook. Positives and negatives are stacked into one {@code 2n x width} block per layer
 * so a layer costs one forward and one weight-gradient product. With peer normalisation, its penalty's
 * gradient joins the layer's ({@link PeerNormalisation}); with a readout, one neutral pass of the
 * images feeds it and its cross-entropy trains it alone ({@link NeutralPass}).
 *
 * <p>Layer 0's pixel products {@code W_x x} are computed once per image ({@link FirstLayer}) and serve
 * the positive, the negative, the neutral row and the first layer's scores of every label. A step is
 * {@link #begin}, then optionally scores for its negatives
 * ({@link #firstLayerScores} or {@link #readoutLogits}), then {@link #accumulate}: all on the same
 * images and weights. An instance holds work buffers: use one per thread.
 */
public final class LocalLearning {
    // Two activity buffers, alternated between layers: layer l reads l-1's while writing its own.
    private final float[][] activities = {new float[0], new float[0]};
    private float[] normalised = new float[0];
    private float[] deltas = new float[0];
    private float[] logits = new float[0];
    // Each layer's column bits ORed (LaneSums#addBiasRelu), alternated as the activities are.
    private final int[][] bits = {new int[0], new int[0]};
    private final ReluProducts products = new ReluProducts();
    private final ActiveColumns active = new ActiveColumns();
    private final FirstLayer first = new FirstLayer();
    private final PeerGradient peer = new PeerGradient();
    private final NeutralPass neutralPass = new NeutralPass(null);

    // The step begun: its network, images and how far it has been computed.
    private SimpleFFNetwork net;
    private ProductPrecision precision = ProductPrecision.FLOAT32;
    private float[] pixels;
    private int n;
    private float[] neutralFeatures;
    // The readout's logits of the begun step, once computed (negatives and the readout's gradient share them).
    private boolean logitsReady;

    /**
     * Begins a step on {@code n} images ({@code n x inputSize} row-major, scaled to [0, 1]): computes
     * their pixel products {@code W_x x}, which everything after it on this step reuses. The network's
     * weights must not change until the step's {@link #accumulate}.
     */
    public void begin(SimpleFFNetwork net, float[] pixels, int n) {
        begin(net, pixels, n, ProductPrecision.FLOAT32);
    }

    /** As above, the layers' forward products in {@code precision}. */
    public void begin(SimpleFFNetwork net, float[] pixels, int n, ProductPrecision precision) {
        this.net = net;
        this.precision = precision;
        this.pixels = pixels;
        this.n = n;
        this.neutralFeatures = null;
        this.logitsReady = false;
        first.begin(net, pixels, n, precision);
    }

    /**
     * Fills {@code goodness[i * classes + c]} with layer 0's goodness of image {@code i} under label
     * {@code c}, equal to {@link LabelScorer} scoring one layer, from the begun step's pixel products.
     */
    public void firstLayerScores(float[] goodness) {
        first.goodness(goodness);
    }

    /** Fills {@code out[i * classes + c]} with the readout's logit of label {@code c} for image {@code i}. */
    public void readoutLogits(float[] out) {
        System.arraycopy(logits(), 0, out, 0, n * net.classes());
    }

    /** The begun step's readout logits, {@code n x classes} (computed once a step). */
    private float[] logits() {
        if (!logitsReady) {
            logits = LayerPasses.grow(logits, n * net.classes());
            NeutralPass.logits(net, neutral(), n, logits);
            logitsReady = true;
        }
        return logits;
    }

    private float[] neutral() {
        if (neutralFeatures == null) {
            neutralFeatures = neutralPass.features(net, pixels, n, first.pixelProducts(), first.labelWeights(),
                    precision);
        }
        return neutralFeatures;
    }

    /**
     * Adds to {@code out} the begun step's share of every block's loss and gradient.
     *
     * @param positive  the true label of each image
     * @param negative  the wrong label of each image's negative copy
     * @param batchSize the whole step's batch size, by which the losses are averaged
     * @param peerNorm  peer normalisation's strength, 0 for none
     */
    public void accumulate(int[] positive, int[] negative, int batchSize, float peerNorm, LayerGradients out) {
        if (n == 0) {
            return;
        }
        int rows = 2 * n;
        float invBatch = 1f / batchSize;
        long assembled = StepProfile.start();
        float[] input = first.activities(positive, negative, ensure(0, rows * net.width(0)),
                ensureBits(0, net.width(0)));
        StepProfile.add("first layer rows from pixel products", assembled, 0);
        int inputWidth = 0;
        for (int l = 0; l < net.layers(); l++) {
            int width = net.width(l);
            float[] params = net.parameters(l);
            float[] h;
            int[] hBits = ensureBits(l % 2, width);
            float[] packedInput = null;
            if (l == 0) {
                h = input;
            } else {
                normalised = LayerPasses.grow(normalised, rows * inputWidth);
                long t = StepProfile.start();
                Activation.normaliseRows(net.norm(), input, rows, inputWidth, normalised);
                StepProfile.add("normalise layer inputs", t, 0);
                h = ensure(l % 2 == 0 ? 0 : 1, rows * width);
                int[] inputBits = ensureBits((l - 1) % 2, inputWidth);
                packedInput = LayerPasses.timesWeights(active, normalised, rows, inputWidth, inputBits, params, width,
                        h, precision);
                t = StepProfile.start();
                LayerPasses.addBiasAndRelu(h, rows, width, params, net.biasOffset(l), hBits);
                StepProfile.add("bias and ReLU", t, 0);
            }
            long t = StepProfile.start();
            float[] delta = lossAndDeltas(net.rule(), h, width, invBatch, l, out);
            StepProfile.add("goodness, loss and deltas", t, 0);
            float[] grad = out.gradient(l);
            if (l == 0) {
                first.addGradient(positive, negative, delta, hBits, grad, products);
            } else if (packedInput != null && active.count() == 0) {
                // No input active: the weights' gradient is zero but for peer normalisation's on the biases.
                if (peerNorm > 0) {
                    peer.onActiveColumns(net, l, n, packedInput, 0, active, peerNorm, batchSize, grad, out);
                }
            } else if (packedInput != null) {
                // The gradient of the active input columns alone: the others' inputs are zero in every row.
                int u = active.count();
                // Added to the active columns of the gradient by the optimizer's pass (DeferredRows).
                float[] packedGradient = out.defer(l, width, inputWidth).columns(active);
                ActiveColumns.using();
                products.addOuterProducts(delta, rows, width, hBits, packedInput, u, packedGradient, 0, u);
                ActiveColumns.done();
                if (peerNorm > 0) {
                    long p = StepProfile.start();
                    peer.onActiveColumns(net, l, n, packedInput, u, active, peerNorm, batchSize, grad, out);
                    StepProfile.add("bias gradient and peer normalisation", p, 0);
                }
            } else {
                products.addOuterProducts(delta, rows, width, hBits, normalised, inputWidth, grad, 0, inputWidth);
            }
            t = StepProfile.start();
            LayerPasses.addBiasGradient(delta, rows, width, grad, net.biasOffset(l));
            if (peerNorm > 0 && packedInput == null) {
                if (l == 0) {
                    peer.onPixels(net, n, pixels, first.inverseLengths(), positive, peerNorm, batchSize, grad, out);
                } else {
                    peer.onInputs(net, l, n, normalised, peerNorm, batchSize, grad, out);
                }
            }
            if (out.tracksActivity()) {
                sumPositiveActivities(h, width, out.activitySums(l));
            }
            StepProfile.add("bias gradient and peer normalisation", t, 0);
            input = h;
            inputWidth = width;
        }
        if (net.hasReadout()) {
            readoutGradient(positive, invBatch, out);
        }
        out.countPositives(n);
    }

    private void sumPositiveActivities(float[] h, int width, float[] sums) {
        for (int i = 0; i < n; i++) {
            LaneSums.addScaled(1f, h, i * width, sums, 0, width);
        }
    }

    /**
     * The readout's cross-entropy on the neutral pass, averaged over the batch, and its gradient
     * {@code (softmax - onehot(y))^T features}; the features are detached, so nothing else learns from it.
     */
    private void readoutGradient(int[] positive, float invBatch, LayerGradients out) {
        int classes = net.classes();
        float[] features = neutral();
        float[] logits = logits();
        logitsReady = false; // turned into the softmax's gradient below
        long t = StepProfile.start();
        double loss = 0;
        for (int i = 0; i < n; i++) {
            int row = i * classes;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits[row + c]);
            }
            double total = 0;
            for (int c = 0; c < classes; c++) {
                total += Math.exp(logits[row + c] - max);
            }
            loss += Math.log(total) - (logits[row + positive[i]] - max);
            for (int c = 0; c < classes; c++) {
                float p = (float) (Math.exp(logits[row + c] - max) / total);
                logits[row + c] = (p - (c == positive[i] ? 1f : 0f)) * invBatch;
            }
        }
        StepProfile.add("readout softmax", t, 0);
        int block = net.readoutBlock();
        Gemm.addOuterProducts(logits, n, classes, features, net.readoutInputs(), out.gradient(block),
                net.readoutInputs());
        out.recordLoss(block, loss * invBatch);
    }

    /**
     * Goodness, loss and {@code dLoss/dz} for a layer's stacked activities; records the statistics.
     * Returns the deltas, {@code 2n x width}.
     */
    private float[] lossAndDeltas(GoodnessRule rule, float[] h, int width, float invBatch, int layer,
                                  LayerGradients out) {
        int rows = 2 * n;
        deltas = LayerPasses.grow(deltas, rows * width);
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

    /** Activity buffer 0 or 1, at least {@code size} long. */
    private float[] ensure(int which, int size) {
        return activities[which] = LayerPasses.grow(activities[which], size);
    }

    /** Column-bits buffer 0 or 1, at least {@code size} long. */
    private int[] ensureBits(int which, int size) {
        return bits[which] = LayerPasses.grow(bits[which], size);
    }
}
