package org.ffspark.model;

/**
 * The simple FF network computed the straightforward way, in double precision, one sample and one
 * label at a time: {@code [x, onehot(c)]} normalised, every layer from scratch. Tests hold the fast
 * kernels to it.
 */
final class ReferenceFF {
    /** The label argument of {@link #forward} that runs the neutral label (1/classes on every unit). */
    static final int NEUTRAL = -1;

    private ReferenceFF() {
    }

    /** Layer 0's input for one image under one label (or {@link #NEUTRAL}), not normalised. */
    static double[] firstInput(SimpleFFNetwork net, float[] pixels, int sample, int label) {
        int inputSize = net.inputSize();
        double[] input = new double[inputSize + net.classes()];
        for (int k = 0; k < inputSize; k++) {
            input[k] = pixels[sample * inputSize + k];
        }
        for (int c = 0; c < net.classes(); c++) {
            input[inputSize + c] = label == NEUTRAL ? 1.0 / net.classes() : c == label ? 1 : 0;
        }
        return input;
    }

    /** {@code v} divided by its norm under the network's rule (plus epsilon). */
    static double[] normalised(SimpleFFNetwork net, double[] v) {
        double squares = 0;
        for (double x : v) {
            squares += x * x;
        }
        double norm = net.norm() == InputNorm.RMS ? Math.sqrt(squares / v.length) : Math.sqrt(squares);
        double[] out = new double[v.length];
        for (int k = 0; k < v.length; k++) {
            out[k] = v[k] / (norm + 1e-8);
        }
        return out;
    }

    /** Activities of every layer for one image under one label (or {@link #NEUTRAL}). */
    static double[][] forward(SimpleFFNetwork net, float[] pixels, int sample, int label) {
        double[] input = firstInput(net, pixels, sample, label);
        double[][] activities = new double[net.layers()][];
        for (int l = 0; l < net.layers(); l++) {
            double[] a = normalised(net, input);
            int width = net.width(l);
            int inputs = net.inputs(l);
            float[] p = net.parameters(l);
            double[] h = new double[width];
            for (int j = 0; j < width; j++) {
                double z = p[net.biasOffset(l) + j];
                for (int k = 0; k < inputs; k++) {
                    z += p[j * inputs + k] * a[k];
                }
                h[j] = Math.max(0, z);
            }
            activities[l] = h;
            input = h;
        }
        return activities;
    }

    /** The readout's input for one image: the normalised activities of the scoring layers, neutral label. */
    static double[] readoutFeatures(SimpleFFNetwork net, float[] pixels, int sample) {
        double[][] h = forward(net, pixels, sample, NEUTRAL);
        double[] features = new double[net.readoutInputs()];
        int at = 0;
        for (int l = net.scoreFrom(); l < net.layers(); l++) {
            double[] a = normalised(net, h[l]);
            System.arraycopy(a, 0, features, at, a.length);
            at += a.length;
        }
        return features;
    }

    /** The readout's cross-entropy over {@code n} images with their true labels, averaged over {@code batchSize}. */
    static double readoutLoss(SimpleFFNetwork net, float[] pixels, int[] labels, int n, int batchSize) {
        float[] r = net.parameters(net.readoutBlock());
        int inputs = net.readoutInputs();
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double[] f = readoutFeatures(net, pixels, i);
            double[] logits = new double[net.classes()];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < logits.length; c++) {
                for (int d = 0; d < inputs; d++) {
                    logits[c] += r[c * inputs + d] * f[d];
                }
                max = Math.max(max, logits[c]);
            }
            double total = 0;
            for (double z : logits) {
                total += Math.exp(z - max);
            }
            loss += Math.log(total) + max - logits[labels[i]];
        }
        return loss / batchSize;
    }

    static double goodness(GoodnessRule rule, double[] h) {
        double squares = 0;
        for (double v : h) {
            squares += v * v;
        }
        return rule.measure() == GoodnessRule.Measure.MEAN ? squares / h.length : squares;
    }

    static double softplus(double z) {
        return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
    }

    /** Layer {@code layer}'s loss over n samples, averaged over {@code batchSize}. */
    static double layerLoss(SimpleFFNetwork net, int layer, float[] pixels, int[] positive, int[] negative,
                            int n, int batchSize) {
        double theta = net.rule().threshold(net.width(layer));
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double gp = goodness(net.rule(), forward(net, pixels, i, positive[i])[layer]);
            double gn = goodness(net.rule(), forward(net, pixels, i, negative[i])[layer]);
            loss += softplus(theta - gp) + softplus(gn - theta);
        }
        return loss / batchSize;
    }

    /** Goodness summed over layers, per image and label. */
    static double[] labelGoodness(SimpleFFNetwork net, float[] pixels, int n) {
        return labelGoodness(net, pixels, n, 0, net.layers());
    }

    /** As above, summed over the first {@code layers} layers only. */
    static double[] labelGoodness(SimpleFFNetwork net, float[] pixels, int n, int layers) {
        return labelGoodness(net, pixels, n, 0, layers);
    }

    /** As above, summed over layers {@code from} (inclusive) to {@code to} (exclusive). */
    static double[] labelGoodness(SimpleFFNetwork net, float[] pixels, int n, int from, int to) {
        double[] g = new double[n * net.classes()];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < net.classes(); c++) {
                double[][] h = forward(net, pixels, i, c);
                for (int l = from; l < to; l++) {
                    g[i * net.classes() + c] += goodness(net.rule(), h[l]);
                }
            }
        }
        return g;
    }
}
