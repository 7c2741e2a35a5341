package org.ffspark.model;

/**
 * The simple FF network computed the straightforward way, in double precision, one sample and one
 * label at a time: {@code [x, onehot(c)]} normalised, every layer from scratch. Tests hold the fast
 * kernels to it.
 */
final class ReferenceFF {
    private ReferenceFF() {
    }

    /** Activities of every layer for one image under one label. */
    static double[][] forward(SimpleFFNetwork net, float[] pixels, int sample, int label) {
        int inputSize = net.inputSize();
        double[] input = new double[inputSize + net.classes()];
        for (int k = 0; k < inputSize; k++) {
            input[k] = pixels[sample * inputSize + k];
        }
        input[inputSize + label] = 1;
        double[][] activities = new double[net.layers()][];
        for (int l = 0; l < net.layers(); l++) {
            double length = 0;
            for (double v : input) {
                length += v * v;
            }
            length = Math.sqrt(length) + 1e-8;
            int width = net.width(l);
            int inputs = net.inputs(l);
            float[] p = net.parameters(l);
            double[] h = new double[width];
            for (int j = 0; j < width; j++) {
                double z = p[net.biasOffset(l) + j];
                for (int k = 0; k < inputs; k++) {
                    z += p[j * inputs + k] * (input[k] / length);
                }
                h[j] = Math.max(0, z);
            }
            activities[l] = h;
            input = h;
        }
        return activities;
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
        return labelGoodness(net, pixels, n, net.layers());
    }

    /** As above, summed over the first {@code layers} layers only. */
    static double[] labelGoodness(SimpleFFNetwork net, float[] pixels, int n, int layers) {
        double[] g = new double[n * net.classes()];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < net.classes(); c++) {
                double[][] h = forward(net, pixels, i, c);
                for (int l = 0; l < layers; l++) {
                    g[i * net.classes() + c] += goodness(net.rule(), h[l]);
                }
            }
        }
        return g;
    }
}
