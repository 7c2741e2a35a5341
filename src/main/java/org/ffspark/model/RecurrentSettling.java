package org.ffspark.model;

import org.ffspark.linalg.Gemm;
import org.ffspark.linalg.ReluProducts;

/**
 * The recurrent network's states as they settle, for a block of rows (images under labels): one
 * bottom-up pass to start, {@code s_l = relu(U_l norm(s_{l-1}) + b_l)} with {@code s_0 = x}, then
 * synchronous damped iterations, {@code s_l <- d s_l + (1 - d) relu(U_l norm(s_{l-1}) + b_l +
 * T_l norm(s_{l+1}))}, the clamped one-hot label standing above the top layer. {@code U_1 norm(x) + b_1}
 * does not change over the iterations nor with the label, so it is computed once per image. An instance
 * holds the states and work buffers: use one per thread.
 */
final class RecurrentSettling {
    private float[] normalisedPixels = new float[0];
    private float[] pixelProducts = new float[0];
    private float[][] states = new float[0][];
    private float[][] normalisedStates = new float[0][];
    private float[][] next = new float[0][];
    private float[][] preActivation = new float[0][];
    private float[] topDown = new float[0];
    private float[] labelColumns = new float[0];
    // Weight blocks: layer l's bottom-up U_l is block 2l, its top-down T_l block 2l + 1.
    private final ReluProducts products;

    RecurrentSettling(ReluProducts products) {
        this.products = products;
    }

    /** The images' normalised pixels, {@code n x inputSize}, from the last {@link #start}. */
    float[] normalisedPixels() {
        return normalisedPixels;
    }

    /** Layer {@code l}'s states computed by the last {@link #iterate}, before {@link #swap}. */
    float[] next(int l) {
        return next[l];
    }

    /** Layer {@code l}'s pre-activations in the last {@link #iterate}. */
    float[] preActivation(int l) {
        return preActivation[l];
    }

    /** Layer {@code l}'s states that the last {@link #iterate} read, normalised. */
    float[] normalisedStates(int l) {
        return normalisedStates[l];
    }

    /**
     * The first bottom-up pass for {@code n} images, copied to {@code copies * n} rows (copy k holding
     * rows {@code k*n .. k*n+n-1}), and the label-free first-layer input {@code U_1 norm(x) + b_1}.
     */
    void start(RecurrentFFNetwork net, float[] pixels, int n, int rows, int copies) {
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
    void iterate(RecurrentFFNetwork net, int n, int rows, int[] labels) {
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

    void swap(int layers) {
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
