package org.ffspark.model;

import java.util.Arrays;

/**
 * The recurrent network's dynamics, its local learning and its scoring, on float blocks with BLAS
 * products (the equations: docs/ff-maths.md).
 *
 * <p>Start: one bottom-up pass, {@code s_l = relu(U_l norm(s_{l-1}) + b_l)} with {@code s_0 = x}. Then
 * each iteration updates every hidden layer from the previous iteration's states (synchronously):
 * {@code s_l <- d s_l + (1 - d) relu(U_l norm(s_{l-1}) + b_l + T_l norm(s_{l+1}))}, the clamped
 * one-hot label standing above the top layer. {@code U_1 norm(x) + b_1} does not change over the
 * iterations nor with the label, so it is computed once per image.
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

    private float[] normalisedPixels = new float[0];
    private float[] pixelProducts = new float[0];
    private float[] summedDeltas = new float[0];
    private float[][] states = new float[0][];
    private float[][] normalisedStates = new float[0][];
    private float[][] next = new float[0][];
    private float[][] preActivation = new float[0][];
    private float[] deltas = new float[0];
    private float[] topDown = new float[0];
    private float[] labelColumns = new float[0];
    private float[] goodnessRows = new float[0];
    // Weight blocks: layer l's bottom-up U_l is block 2l, its top-down T_l block 2l + 1.
    private final ReluProducts products = new ReluProducts();

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
        settleStart(net, pixels, n, rows, 2);
        RecurrentFFNetwork.Dynamics dyn = net.dynamics();
        float lossScale = 1f / (batchSize * (float) dyn.iterations());
        for (int t = 1; t <= dyn.iterations(); t++) {
            iterate(net, n, rows, labels);
            for (int l = 0; l < net.layers(); l++) {
                learn(net, l, t, n, rows, labels, lossScale, out);
            }
            swapStates(net.layers());
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
        settleStart(net, pixels, n, rows, classes);
        RecurrentFFNetwork.Dynamics dyn = net.dynamics();
        float[] score = new float[rows];
        int layers = net.layers();
        for (int t = 1; t <= dyn.iterations(); t++) {
            iterate(net, n, rows, labels);
            boolean counted = t >= dyn.scoreFrom() && t <= dyn.scoreTo();
            for (int l = 0; l < layers; l++) {
                int width = net.width(l);
                float[] s = next[l];
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
            swapStates(layers);
        }
        float window = dyn.scoreTo() - dyn.scoreFrom() + 1;
        for (int r = 0; r < rows; r++) {
            goodness[(offset + r % n) * classes + r / n] = score[r] / window;
        }
    }

    /**
     * The first bottom-up pass for {@code n} images, copied to {@code copies * n} rows (copy k holding
     * rows {@code k*n .. k*n+n-1}), and the label-free first-layer input {@code U_1 norm(x) + b_1}.
     */
    private void settleStart(RecurrentFFNetwork net, float[] pixels, int n, int rows, int copies) {
        int layers = net.layers();
        reserve(net, rows);
        int features = net.inputSize();
        normalisedPixels = grow(normalisedPixels, n * features);
        Activation.normaliseRows(pixels, n, features, normalisedPixels);
        int w0 = net.width(0);
        pixelProducts = grow(pixelProducts, n * w0);
        float[] p0 = net.parameters(0);
        Gemm.timesTransposedWeights(normalisedPixels, n, features, p0, features, w0, pixelProducts);
        int bias0 = net.biasOffset(0);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < w0; j++) {
                pixelProducts[i * w0 + j] += p0[bias0 + j];
            }
        }
        for (int i = 0; i < n * w0; i++) {
            states[0][i] = Math.max(pixelProducts[i], 0f);
        }
        for (int l = 1; l < layers; l++) {
            int below = net.width(l - 1);
            int width = net.width(l);
            float[] p = net.parameters(l);
            Activation.normaliseRows(states[l - 1], n, below, normalisedStates[l - 1]);
            products.timesTransposedWeights(2 * l, normalisedStates[l - 1], n, below, p, 0, below, width, states[l]);
            int bias = net.biasOffset(l);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < width; j++) {
                    states[l][i * width + j] = Math.max(states[l][i * width + j] + p[bias + j], 0f);
                }
            }
        }
        for (int l = 0; l < layers; l++) {
            int width = net.width(l);
            for (int k = 1; k < copies; k++) {
                System.arraycopy(states[l], 0, states[l], k * n * width, n * width);
            }
        }
        gatherLabelColumns(net);
    }

    /**
     * The top layer's top-down weights as {@code classes x width} rows: a label's column of {@code T},
     * contiguous, read by every update of every iteration. The weights do not change within a call.
     */
    private void gatherLabelColumns(RecurrentFFNetwork net) {
        int top = net.layers() - 1;
        int width = net.width(top);
        int classes = net.above(top);
        float[] p = net.parameters(top);
        int offset = net.topDownOffset(top);
        labelColumns = grow(labelColumns, classes * width);
        for (int c = 0; c < classes; c++) {
            for (int j = 0; j < width; j++) {
                labelColumns[c * width + j] = p[offset + j * classes + c];
            }
        }
    }

    /** One synchronous damped update of every layer: {@code next} from {@code states}. */
    private void iterate(RecurrentFFNetwork net, int n, int rows, int[] labels) {
        int layers = net.layers();
        for (int l = 0; l < layers; l++) {
            Activation.normaliseRows(states[l], rows, net.width(l), normalisedStates[l]);
        }
        float keep = net.dynamics().damping();
        float take = 1f - keep;
        for (int l = 0; l < layers; l++) {
            int width = net.width(l);
            float[] p = net.parameters(l);
            float[] z = preActivation[l];
            if (l == 0) {
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(pixelProducts, (r % n) * width, z, r * width, width);
                }
            } else {
                int below = net.width(l - 1);
                products.timesTransposedWeights(2 * l, normalisedStates[l - 1], rows, below, p, 0, below, width, z);
                int bias = net.biasOffset(l);
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < width; j++) {
                        z[r * width + j] += p[bias + j];
                    }
                }
            }
            addTopDown(net, l, rows, labels, z);
            float[] s = states[l];
            float[] s2 = next[l];
            for (int i = 0; i < rows * width; i++) {
                s2[i] = keep * s[i] + take * Math.max(z[i], 0f);
            }
        }
    }

    /** {@code z += T_l norm(s_{l+1})}, the label's column of {@code T} for the top layer. */
    private void addTopDown(RecurrentFFNetwork net, int l, int rows, int[] labels, float[] z) {
        int width = net.width(l);
        int above = net.above(l);
        float[] p = net.parameters(l);
        int top = net.topDownOffset(l);
        if (l == net.layers() - 1) {
            for (int r = 0; r < rows; r++) {
                int c = labels[r] * width;
                for (int j = 0; j < width; j++) {
                    z[r * width + j] += labelColumns[c + j];
                }
            }
        } else {
            topDown = grow(topDown, rows * width);
            products.timesTransposedWeights(2 * l + 1, normalisedStates[l + 1], rows, above, p, top, above, width,
                    topDown);
            for (int i = 0; i < rows * width; i++) {
                z[i] += topDown[i];
            }
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
        float[] s = next[l];
        float[] z = preActivation[l];
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
            products.addOuterProducts(summedDeltas, n, width, normalisedPixels, below, grad, 0, below);
        } else {
            products.addOuterProducts(d, rows, width, normalisedStates[l - 1], below, grad, 0, below);
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
            products.addOuterProducts(d, rows, width, normalisedStates[l + 1], above, grad, top, above);
        }
    }

    private void swapStates(int layers) {
        for (int l = 0; l < layers; l++) {
            float[] t = states[l];
            states[l] = next[l];
            next[l] = t;
        }
    }

    private void reserve(RecurrentFFNetwork net, int rows) {
        int layers = net.layers();
        if (states.length != layers) {
            states = new float[layers][0];
            normalisedStates = new float[layers][0];
            next = new float[layers][0];
            preActivation = new float[layers][0];
        }
        for (int l = 0; l < layers; l++) {
            int size = rows * net.width(l);
            states[l] = grow(states[l], size);
            normalisedStates[l] = grow(normalisedStates[l], size);
            next[l] = grow(next[l], size);
            preActivation[l] = grow(preActivation[l], size);
        }
    }

    private static float[] grow(float[] a, int size) {
        return a.length >= size ? a : new float[size];
    }
}
