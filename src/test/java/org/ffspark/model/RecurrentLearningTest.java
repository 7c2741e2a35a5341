package org.ffspark.model;

import static org.ffspark.model.ReferenceRecurrentFF.goodness;
import static org.ffspark.model.ReferenceRecurrentFF.image;
import static org.ffspark.model.ReferenceRecurrentFF.localLoss;
import static org.ffspark.model.ReferenceRecurrentFF.trajectory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ffspark.linalg.SparseRows;
import org.junit.jupiter.api.Test;

/**
 * The recurrent dynamics, scoring and local gradients against the double-precision reference
 * ({@link ReferenceRecurrentFF}), and one case worked by hand.
 */
class RecurrentLearningTest {
    private static final int INPUT = 6;
    private static final int CLASSES = 3;

    private static RecurrentFFNetwork network(int[] widths, RecurrentFFNetwork.Dynamics dynamics, GoodnessRule rule,
                                              long seed) {
        RecurrentFFNetwork net = RecurrentFFNetwork.initialize(INPUT, CLASSES, widths, rule, dynamics, seed);
        SplittableRandom random = new SplittableRandom(seed + 1);
        for (int l = 0; l < net.layers(); l++) {
            float[] p = net.parameters(l);
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) (p[i] * 2 + 0.3 * random.nextDouble()); // positive lean: most units active
            }
        }
        return net;
    }

    /**
     * A network whose units are mostly silent, as a trained one's are, so that its products take their
     * sparse paths: each bias well below zero against the unit's weights.
     */
    private static RecurrentFFNetwork sparselyActive(int[] widths, RecurrentFFNetwork.Dynamics dynamics,
                                                     GoodnessRule rule, long seed) {
        RecurrentFFNetwork net = RecurrentFFNetwork.initialize(INPUT, CLASSES, widths, rule, dynamics, seed);
        for (int l = 0; l < net.layers(); l++) {
            float[] p = net.parameters(l);
            int below = net.below(l);
            int above = net.above(l);
            for (int j = 0; j < net.width(l); j++) {
                double squares = 0;
                for (int i = 0; i < below; i++) {
                    squares += p[j * below + i] * p[j * below + i];
                }
                for (int i = 0; i < above; i++) {
                    float t = p[net.topDownOffset(l) + j * above + i];
                    squares += t * t;
                }
                p[net.biasOffset(l) + j] = (float) (-SILENCE * Math.sqrt(squares));
            }
            for (int i = 0; i < p.length; i++) {
                p[i] *= 20f; // activities of the order of the threshold; the same ones zero
            }
        }
        return net;
    }

    private static final double SILENCE = 0.3;

    /** Below the sparse products' cut; layer 0's deltas are summed over a positive and a negative. */
    private static void assertSparse(double[] shares, int l) {
        double cut = l == 0 ? SparseRows.MAX_DENSITY / 2 : SparseRows.MAX_DENSITY;
        assertTrue(shares[l] > 0 && shares[l] < cut, "layer " + l + " active share " + shares[l]);
    }

    /** The share of nonzero states over the given images' trajectories under the given labels, per layer. */
    private static double[] activeShares(RecurrentFFNetwork net, float[] pixels, int[]... labels) {
        double[] nonzero = new double[net.layers()];
        double[] all = new double[net.layers()];
        for (int[] label : labels) {
            for (int i = 0; i < label.length; i++) {
                double[][][] s = trajectory(net, image(pixels, i, INPUT), label[i]);
                for (double[][] layers : s) {
                    for (int l = 0; l < layers.length; l++) {
                        for (double v : layers[l]) {
                            nonzero[l] += v != 0 ? 1 : 0;
                            all[l]++;
                        }
                    }
                }
            }
        }
        for (int l = 0; l < all.length; l++) {
            nonzero[l] /= all[l];
        }
        return nonzero;
    }

    @Test
    void handWorkedTwoLayerSettling() {
        // One unit per layer, 1 input, 2 classes; U, b, T chosen so every step can be done by hand.
        RecurrentFFNetwork.Dynamics dyn = new RecurrentFFNetwork.Dynamics(2, 0.3f, 1, 2);
        RecurrentFFNetwork net = new RecurrentFFNetwork(1, 2, new int[] {1, 1}, new GoodnessRule(GoodnessRule.Measure.SUM, 1, false),
                dyn, new float[][] {{2f, 0.5f, 1f}, {3f, 0f, 4f, -1f}});
        // Layer 1: U=2, b=0.5, T (from layer 2)=1. Layer 2: U=3, b=0, T (from label)=[4, -1].
        // x=0.5: norm(x)=1. Start: s1 = relu(2*1+0.5)=2.5; s2 = relu(3*norm(2.5)+0) = 3.
        // Label 0, iteration 1: new1 = relu(2+0.5+1*norm(3)) = 3.5 -> s1 = 0.3*2.5+0.7*3.5 = 3.2
        //                       new2 = relu(3*norm(2.5)+4) = 7   -> s2 = 0.3*3+0.7*7 = 5.8
        // Iteration 2:          new1 = 3.5 -> s1 = 0.3*3.2+0.7*3.5 = 3.41; new2 = 7 -> s2 = 0.3*5.8+4.9 = 6.64
        // Goodness (sum of squares), iteration 1: 3.2^2 + 5.8^2 = 43.88; iteration 2: 3.41^2 + 6.64^2 = 55.7177
        // Label 1: new2 = relu(3-1) = 2: s2 = 0.3*3+1.4 = 2.3, then 0.3*2.3+1.4 = 2.09;
        //          s1 as for label 0 (norm of a positive scalar is 1): 3.2, 3.41
        float[] goodness = new float[2];
        float[] perIteration = new float[2 * 2 * 2];
        new RecurrentLearning().score(net, new float[] {0.5f}, 1, goodness, perIteration);
        assertEquals(3.2 * 3.2, perIteration[0], 1e-4); // image 0, label 0, layer 0, iteration 1
        assertEquals(3.41 * 3.41, perIteration[1], 1e-4);
        assertEquals(5.8 * 5.8, perIteration[2], 1e-4); // layer 1
        assertEquals(6.64 * 6.64, perIteration[3], 1e-4);
        assertEquals(2.3 * 2.3, perIteration[6], 1e-4); // label 1, layer 1, iteration 1
        assertEquals((43.88 + 55.7177) / 2, goodness[0], 1e-3, "window 1-2: mean of summed goodness");
        assertEquals((3.2 * 3.2 + 2.3 * 2.3 + 3.41 * 3.41 + 2.09 * 2.09) / 2, goodness[1], 1e-3);
    }

    @Test
    void settlingAndWindowedScoresMatchTheReference() {
        RecurrentFFNetwork.Dynamics dyn = new RecurrentFFNetwork.Dynamics(6, 0.3f, 3, 5);
        int n = 4;
        float[] pixels = LocalLearningTest.randomPixels(n, INPUT, 5);
        checkScores(network(new int[] {5, 4, 3}, dyn, GoodnessRule.PAPER, 11), pixels, n);
    }

    @Test
    void settlingAndScoresMatchTheReferenceWhenFewUnitsAreActive() {
        RecurrentFFNetwork.Dynamics dyn = new RecurrentFFNetwork.Dynamics(6, 0.3f, 3, 5);
        int n = 40;
        float[] pixels = LocalLearningTest.randomPixels(n, INPUT, 5);
        RecurrentFFNetwork net = sparselyActive(new int[] {60, 50, 40}, dyn, GoodnessRule.PAPER, 11);
        double[] shares = activeShares(net, pixels, LocalLearningTest.everyLabel(CLASSES, n));
        for (int l = 0; l < shares.length; l++) {
            assertSparse(shares, l);
        }
        checkScores(net, pixels, n);
    }

    private static void checkScores(RecurrentFFNetwork net, float[] pixels, int n) {
        int layers = net.layers();
        float[] goodness = new float[n * CLASSES];
        float[] perIteration = new float[n * CLASSES * layers * 6];
        new RecurrentLearning().score(net, pixels, n, goodness, perIteration);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < CLASSES; c++) {
                double[][][] s = trajectory(net, image(pixels, i, INPUT), c);
                double window = 0;
                for (int t = 1; t <= 6; t++) {
                    for (int l = 0; l < layers; l++) {
                        double g = goodness(net.rule(), s[t][l]);
                        assertEquals(g, perIteration[((i * CLASSES + c) * layers + l) * 6 + t - 1], 1e-5 * (1 + g),
                                "image " + i + " label " + c + " layer " + l + " iteration " + t);
                        if (t >= 3 && t <= 5) {
                            window += g;
                        }
                    }
                }
                assertEquals(window / 3, goodness[i * CLASSES + c], 1e-5 * (1 + window));
            }
        }
    }

    @Test
    void localGradientsMatchFiniteDifferencesWithNeighboursHeldFixed() {
        for (GoodnessRule rule : new GoodnessRule[] {GoodnessRule.PAPER, new GoodnessRule(GoodnessRule.Measure.SUM, 2, false)}) {
            RecurrentFFNetwork.Dynamics dyn = new RecurrentFFNetwork.Dynamics(4, 0.3f, 2, 3);
            checkGradients(network(new int[] {5, 4}, dyn, rule, 21), rule);
        }
    }

    @Test
    void localGradientsMatchFiniteDifferencesWhenFewUnitsAreActive() {
        RecurrentFFNetwork.Dynamics dyn = new RecurrentFFNetwork.Dynamics(4, 0.3f, 2, 3);
        RecurrentFFNetwork net = sparselyActive(new int[] {40, 30}, dyn, GoodnessRule.PAPER, 21);
        double[] shares = activeShares(net, gradientPixels(), GRADIENT_POSITIVE, GRADIENT_NEGATIVE);
        for (int l = 0; l < shares.length; l++) {
            assertSparse(shares, l);
        }
        checkGradients(net, GoodnessRule.PAPER);
    }

    // The samples of the gradient checks.
    private static final int[] GRADIENT_POSITIVE = {0, 2, 1};
    private static final int[] GRADIENT_NEGATIVE = {1, 0, 2};

    private static float[] gradientPixels() {
        return LocalLearningTest.randomPixels(GRADIENT_POSITIVE.length, INPUT, 9);
    }

    private static void checkGradients(RecurrentFFNetwork net, GoodnessRule rule) {
        int n = GRADIENT_POSITIVE.length;
        int batch = 5;
        float[] pixels = gradientPixels();
        int[] positive = GRADIENT_POSITIVE;
        int[] negative = GRADIENT_NEGATIVE;
        LayerGradients g = new LayerGradients(net);
        new RecurrentLearning().accumulate(net, pixels, positive, negative, n, batch, g);

        // The trajectories, computed once with the unperturbed weights: a layer's inputs (its old state
        // and its neighbours') are what they were; only its own new state depends on its weights.
        double[][][][] trajectories = new double[2 * n][][][];
        for (int r = 0; r < 2 * n; r++) {
            trajectories[r] = trajectory(net, image(pixels, r % n, INPUT), r < n ? positive[r] : negative[r - n]);
        }
        for (int l = 0; l < net.layers(); l++) {
            assertEquals(localLoss(net, l, pixels, positive, negative, n, batch, trajectories), g.loss(l),
                    1e-5 * (1 + Math.abs(g.loss(l))), "loss of layer " + l);
            float[] p = net.parameters(l);
            double largest = 0;
            double worst = 0;
            for (int i = 0; i < p.length; i++) {
                float saved = p[i];
                double h = 1e-3;
                p[i] = (float) (saved + h);
                double up = localLoss(net, l, pixels, positive, negative, n, batch, trajectories);
                p[i] = (float) (saved - h);
                double down = localLoss(net, l, pixels, positive, negative, n, batch, trajectories);
                p[i] = saved;
                double numeric = (up - down) / ((double) (float) (saved + h) - (float) (saved - h));
                largest = Math.max(largest, Math.abs(numeric));
                worst = Math.max(worst, Math.abs(numeric - g.gradient(l)[i]));
            }
            assertTrue(largest > 1e-4, "layer " + l + " has a non-trivial gradient");
            assertTrue(worst / largest < 2e-3, rule + " layer " + l + ": relative error " + worst / largest);
        }
    }

    @Test
    void theBottomUpStartIgnoresTheLabelAndTheLabelReachesEveryLayer() {
        RecurrentFFNetwork.Dynamics dyn = new RecurrentFFNetwork.Dynamics(3, 0.3f, 1, 3);
        RecurrentFFNetwork net = network(new int[] {5, 4}, dyn, GoodnessRule.PAPER, 4);
        float[] pixels = LocalLearningTest.randomPixels(1, INPUT, 2);
        float[] perIteration = new float[CLASSES * 2 * 3];
        new RecurrentLearning().score(net, pixels, 1, new float[CLASSES], perIteration);
        // Iteration 1: the bottom layer has not heard from the label yet (it sees the top layer's start state).
        assertEquals(perIteration[0], perIteration[2 * 3], 1e-6);
        // Iteration 2: it has.
        assertTrue(Math.abs(perIteration[1] - perIteration[2 * 3 + 1]) > 1e-6);
    }
}
