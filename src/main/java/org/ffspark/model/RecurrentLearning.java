package org.ffspark.model;

import java.util.Arrays;
import org.ffspark.linalg.LaneSums;
import org.ffspark.linalg.ReluProducts;

/**
 * The recurrent network's local learning and its scoring, on float blocks with BLAS products (the
 * equations: docs/ff-maths.md), on the states as they settle ({@link RecurrentSettling}).
 *
 * <p>Learning is local in space and time: at every iteration each layer takes the FF loss on its own
 * goodness (positives: the true label clamped; negatives: a wrong one); its old state and its
 * neighbours' states are inputs, not differentiated (no backpropagation through time nor between
 * layers). A layer's loss is the mean over iterations of those batch losses. Gradients reach
 * {@code U_l, b_l, T_l} only: with {@code z} the pre-activation and {@code s'} the new state,
 * {@code dL/dz_j = dL/dg * dg/d(s'_j^2) * 2 s'_j * (1 - d) * [z_j > 0]}.
 *
 * <p>States and deltas come out of ReLU: their products skip the zeros where there are few others
 * ({@link ReluProducts}); the weights, fixed within a call, are transposed for that once per call.
 *
 * <p>Scoring runs all labels of a chunk of images as one block of {@code classes x n} rows, sharing
 * the label-free bottom-up work.
 */
public final class RecurrentLearning {
    /** Images scored together: {@code classes x chunk} rows per layer buffer. */
    private static final int SCORING_CHUNK = 64;

    private float[] summedDeltas = new float[0];
    private float[] deltas = new float[0];
    private final ReluProducts products = new ReluProducts();
    private final RecurrentSettling settling = new RecurrentSettling(products);

    /**
     * Adds to {@code out} the share of the step's loss and gradient contributed by {@code n} samples.
     *
     * @param batchSize the whole step's batch size, by which the losses are averaged
     */
    public void accumulate(RecurrentFFNetwork net, float[] pixels, int[] positive, int[] negative, int n,
                           int batchSize, LayerGradients out) {
        if (n == 0) {
            return;
        }
        int rows = 2 * n;
        products.weightsChanged();
        int[] labels = new int[rows];
        System.arraycopy(positive, 0, labels, 0, n);
        System.arraycopy(negative, 0, labels, n, n);
        settling.start(net, pixels, n, rows, 2);
        RecurrentFFNetwork.Dynamics dyn = net.dynamics();
        float lossScale = 1f / (batchSize * (float) dyn.iterations());
        for (int t = 1; t <= dyn.iterations(); t++) {
            settling.iterate(net, n, rows, labels);
            for (int l = 0; l < net.layers(); l++) {
                learn(net, l, t, n, rows, labels, lossScale, out);
            }
            settling.swap(net.layers());
        }
        out.countPositives(n);
    }

    /**
     * Fills {@code goodness[i * classes + c]} with the score of image {@code i} under label {@code c}:
     * goodness summed over hidden layers and averaged over the scoring window's iterations.
     */
    public void score(RecurrentFFNetwork net, float[] pixels, int n, float[] goodness) {
        score(net, pixels, n, goodness, null);
    }

    /**
     * As {@link #score(RecurrentFFNetwork, float[], int, float[])}, also filling
     * {@code perIteration[((i * classes + c) * layers + l) * iterations + (t - 1)]} with layer {@code l}'s
     * goodness at iteration {@code t} (when not null): the settling, image by image.
     */
    public void score(RecurrentFFNetwork net, float[] pixels, int n, float[] goodness, float[] perIteration) {
        int chunk = SCORING_CHUNK;
        int features = net.inputSize();
        float[] chunkPixels = new float[Math.min(chunk, Math.max(n, 1)) * features];
        products.weightsChanged();
        for (int start = 0; start < n; start += chunk) {
            int m = Math.min(chunk, n - start);
            System.arraycopy(pixels, start * features, chunkPixels, 0, m * features);
            scoreChunk(net, chunkPixels, m, goodness, start, perIteration);
        }
    }

    private void scoreChunk(RecurrentFFNetwork net, float[] pixels, int n, float[] goodness, int offset,
                            float[] perIteration) {
        int classes = net.classes();
        int rows = classes * n;
        int[] labels = new int[rows];
        for (int c = 0; c < classes; c++) {
            Arrays.fill(labels, c * n, (c + 1) * n, c);
        }
        settling.start(net, pixels, n, rows, classes);
        RecurrentFFNetwork.Dynamics dyn = net.dynamics();
        float[] score = new float[rows];
        int layers = net.layers();
        for (int t = 1; t <= dyn.iterations(); t++) {
            settling.iterate(net, n, rows, labels);
            boolean counted = t >= dyn.scoreFrom() && t <= dyn.scoreTo();
            for (int l = 0; l < layers; l++) {
                int width = net.width(l);
                float[] s = settling.next(l);
                for (int r = 0; r < rows; r++) {
                    float g = net.rule().goodness(LaneSums.squares(s, r * width, width), width);
                    if (counted) {
                        score[r] += g;
                    }
                    if (perIteration != null) {
                        int image = offset + r % n;
                        int c = r / n;
                        perIteration[((image * classes + c) * layers + l) * dyn.iterations() + t - 1] = g;
                    }
                }
            }
            settling.swap(layers);
        }
        float window = dyn.scoreTo() - dyn.scoreFrom() + 1;
        for (int r = 0; r < rows; r++) {
            goodness[(offset + r % n) * classes + r / n] = score[r] / window;
        }
    }

    /** Layer {@code l}'s loss at this iteration and its gradient, added to {@code out}. */
    private void learn(RecurrentFFNetwork net, int l, int t, int n, int rows, int[] labels, float lossScale,
                       LayerGradients out) {
        int width = net.width(l);
        GoodnessRule rule = net.rule();
        float threshold = rule.threshold(width);
        float sqw = rule.squareWeight(width);
        float take = 1f - net.dynamics().damping();
        float[] s = settling.next(l);
        float[] z = settling.preActivation(l);
        deltas = grow(deltas, rows * width);
        float[] d = deltas;
        double loss = 0;
        double positiveSum = 0;
        double negativeSum = 0;
        for (int r = 0; r < rows; r++) {
            float g = rule.goodness(LaneSums.squares(s, r * width, width), width);
            float dLdg;
            if (r < n) {
                loss += Activation.softplus(threshold - g);
                dLdg = -Activation.sigmoid(threshold - g) * lossScale;
                positiveSum += g;
            } else {
                loss += Activation.softplus(g - threshold);
                dLdg = Activation.sigmoid(g - threshold) * lossScale;
                negativeSum += g;
            }
            float factor = dLdg * sqw * 2f * take;
            for (int j = 0; j < width; j++) {
                int i = r * width + j;
                d[i] = z[i] > 0f ? factor * s[i] : 0f;
            }
        }
        int iterations = net.dynamics().iterations();
        out.record(l, loss * lossScale, positiveSum / iterations, negativeSum / iterations);
        out.recordIteration(l, t - 1, positiveSum, negativeSum);

        float[] grad = out.gradient(l);
        int below = net.below(l);
        if (l == 0) {
            // Positives and negatives share the image: one product for both.
            summedDeltas = grow(summedDeltas, n * width);
            for (int i = 0; i < n * width; i++) {
                summedDeltas[i] = d[i] + d[n * width + i];
            }
            for (int r = 2; r * n < rows; r++) {
                for (int i = 0; i < n * width; i++) {
                    summedDeltas[i] += d[r * n * width + i];
                }
            }
            products.addOuterProducts(summedDeltas, n, width, settling.normalisedPixels(), below, grad, 0, below);
        } else {
            products.addOuterProducts(d, rows, width, settling.normalisedStates(l - 1), below, grad, 0, below);
        }
        int bias = net.biasOffset(l);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < width; j++) {
                grad[bias + j] += d[r * width + j];
            }
        }
        int above = net.above(l);
        int top = net.topDownOffset(l);
        if (l == net.layers() - 1) {
            for (int r = 0; r < rows; r++) {
                int c = labels[r];
                for (int j = 0; j < width; j++) {
                    grad[top + j * above + c] += d[r * width + j];
                }
            }
        } else {
            products.addOuterProducts(d, rows, width, settling.normalisedStates(l + 1), above, grad, top, above);
        }
    }

    private static float[] grow(float[] a, int size) {
        return a.length >= size ? a : new float[size];
    }
}
