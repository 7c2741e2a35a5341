package org.ffspark.model;

import java.util.Arrays;

/**
 * The recurrent model written straight from its equations (docs/ff-maths.md) in double precision, one
 * image, layer and unit at a time: the reference the tests hold the kernels' settling, scores and local
 * gradients against.
 */
final class ReferenceRecurrentFF {
    private ReferenceRecurrentFF() {
    }

    /** States of every layer at every iteration (index 0: the bottom-up start), in double precision. */
    static double[][][] trajectory(RecurrentFFNetwork net, float[] x, int label) {
        int layers = net.layers();
        int iterations = net.dynamics().iterations();
        double[][][] s = new double[iterations + 1][layers][];
        double[] below = norm(toDouble(x));
        for (int l = 0; l < layers; l++) {
            s[0][l] = new double[net.width(l)];
            for (int j = 0; j < net.width(l); j++) {
                double z = bottomUp(net, l, j, below);
                s[0][l][j] = Math.max(z, 0);
            }
            below = norm(s[0][l]);
        }
        for (int t = 1; t <= iterations; t++) {
            for (int l = 0; l < layers; l++) {
                double[] in = l == 0 ? norm(toDouble(x)) : norm(s[t - 1][l - 1]);
                double[] top = l == layers - 1 ? oneHot(label, net.classes()) : norm(s[t - 1][l + 1]);
                s[t][l] = new double[net.width(l)];
                for (int j = 0; j < net.width(l); j++) {
                    double z = bottomUp(net, l, j, in) + topDown(net, l, j, top);
                    s[t][l][j] = net.dynamics().damping() * s[t - 1][l][j]
                            + (1 - net.dynamics().damping()) * Math.max(z, 0);
                }
            }
        }
        return s;
    }

    private static double bottomUp(RecurrentFFNetwork net, int l, int j, double[] in) {
        float[] p = net.parameters(l);
        double z = p[net.biasOffset(l) + j];
        for (int i = 0; i < in.length; i++) {
            z += p[j * in.length + i] * in[i];
        }
        return z;
    }

    private static double topDown(RecurrentFFNetwork net, int l, int j, double[] top) {
        float[] p = net.parameters(l);
        double z = 0;
        for (int i = 0; i < top.length; i++) {
            z += p[net.topDownOffset(l) + j * top.length + i] * top[i];
        }
        return z;
    }

    static double goodness(GoodnessRule rule, double[] s) {
        double sum = 0;
        for (double v : s) {
            sum += v * v;
        }
        return rule.measure() == GoodnessRule.Measure.MEAN ? sum / s.length : sum;
    }

    private static double[] norm(double[] v) {
        double sq = 0;
        for (double a : v) {
            sq += a * a;
        }
        double inv = 1 / (Math.sqrt(sq) + 1e-8);
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * inv;
        }
        return out;
    }

    private static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    private static double[] oneHot(int label, int classes) {
        double[] v = new double[classes];
        v[label] = 1;
        return v;
    }

    /** Image {@code i} of a block of images of {@code inputSize} pixels each. */
    static float[] image(float[] pixels, int i, int inputSize) {
        return Arrays.copyOfRange(pixels, i * inputSize, (i + 1) * inputSize);
    }

    /**
     * Layer {@code l}'s loss (mean over iterations of the batch losses) with every input taken from the
     * recorded trajectories and only the layer's own new state recomputed from its current weights.
     */
    static double localLoss(RecurrentFFNetwork net, int l, float[] pixels, int[] positive, int[] negative,
                                    int n, int batch, double[][][][] trajectories) {
        int layers = net.layers();
        int iterations = net.dynamics().iterations();
        double d = net.dynamics().damping();
        double threshold = net.rule().threshold(net.width(l));
        double total = 0;
        for (int r = 0; r < 2 * n; r++) {
            double[][][] s = trajectories[r];
            int label = r < n ? positive[r] : negative[r - n];
            for (int t = 1; t <= iterations; t++) {
                double[] in = l == 0 ? norm(toDouble(image(pixels, r % n, net.inputSize()))) : norm(s[t - 1][l - 1]);
                double[] top = l == layers - 1 ? oneHot(label, net.classes()) : norm(s[t - 1][l + 1]);
                double[] state = new double[net.width(l)];
                for (int j = 0; j < state.length; j++) {
                    double z = bottomUp(net, l, j, in) + topDown(net, l, j, top);
                    state[j] = d * s[t - 1][l][j] + (1 - d) * Math.max(z, 0);
                }
                double g = goodness(net.rule(), state);
                double margin = r < n ? threshold - g : g - threshold;
                total += Math.log1p(Math.exp(-Math.abs(margin))) + Math.max(margin, 0);
            }
        }
        return total / batch / iterations;
    }
}
