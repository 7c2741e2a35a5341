package org.ffspark.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ffspark.linalg.SparseRows;
import org.junit.jupiter.api.Test;

class LocalLearningTest {
    private static final int INPUT = 12;
    private static final int CLASSES = 10;

    static float[] randomPixels(int n, int inputSize, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[n * inputSize];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextInt(4) == 0 ? 0f : (float) random.nextDouble();
        }
        return pixels;
    }

    /**
     * A network each of whose units is active for {@code share} of the (image, label) rows of
     * {@code pixels}, as in a trained network (a few units of hundreds lit), so that the kernels take
     * their sparse paths. Each bias lies halfway between two neighbouring pre-activations: no row sits
     * on ReLU's kink, where finite differences would not hold.
     */
    static SimpleFFNetwork sparselyActive(int inputSize, int[] widths, float[] pixels, int n, double share,
                                          long seed) {
        SimpleFFNetwork net = SimpleFFNetwork.initialize(inputSize, CLASSES, widths, GoodnessRule.PAPER, seed);
        int rows = n * CLASSES;
        int active = (int) Math.ceil(share * rows);
        for (int l = 0; l < net.layers(); l++) {
            float[] p = net.parameters(l);
            int bias = net.biasOffset(l);
            java.util.Arrays.fill(p, bias, bias + net.width(l), 0f);
            double[][] z = new double[net.width(l)][rows];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < CLASSES; c++) {
                    double[] unit = preActivations(net, l, pixels, i, c);
                    for (int j = 0; j < unit.length; j++) {
                        z[j][i * CLASSES + c] = unit[j];
                    }
                }
            }
            for (int j = 0; j < net.width(l); j++) {
                double[] sorted = z[j].clone();
                java.util.Arrays.sort(sorted);
                p[bias + j] = (float) -(sorted[rows - active] + sorted[rows - active - 1]) / 2;
            }
        }
        // Larger activities, the same ones zero (the next layer normalises its input): goodness of
        // the order of the threshold, and gradients well above the finite differences' noise.
        for (int l = 0; l < net.layers(); l++) {
            float[] p = net.parameters(l);
            for (int i = 0; i < p.length; i++) {
                p[i] *= 20f;
            }
        }
        return net;
    }

    /** Layer {@code l}'s units before ReLU, for image {@code i} under label {@code c}. */
    private static double[] preActivations(SimpleFFNetwork net, int l, float[] pixels, int i, int c) {
        int inputSize = net.inputSize();
        double[] input;
        if (l == 0) {
            input = new double[inputSize + net.classes()];
            for (int k = 0; k < inputSize; k++) {
                input[k] = pixels[i * inputSize + k];
            }
            input[inputSize + c] = 1;
        } else {
            input = ReferenceFF.forward(net, pixels, i, c)[l - 1];
        }
        double length = 1e-8;
        double squares = 0;
        for (double v : input) {
            squares += v * v;
        }
        length += Math.sqrt(squares);
        float[] p = net.parameters(l);
        double[] z = new double[net.width(l)];
        for (int j = 0; j < z.length; j++) {
            z[j] = p[net.biasOffset(l) + j];
            for (int k = 0; k < input.length; k++) {
                z[j] += p[j * input.length + k] * input[k] / length;
            }
        }
        return z;
    }

    /** One step's share through {@code kernel}: begin on the pixels, then accumulate without peer normalisation. */
    static void learn(LocalLearning kernel, SimpleFFNetwork net, float[] pixels, int[] positive, int[] negative, int n,
                      int batchSize, LayerGradients out) {
        kernel.begin(net, pixels, n);
        kernel.accumulate(positive, negative, batchSize, 0f, out);
    }

    /** For each of {@code classes} labels, that label for each of {@code n} samples. */
    static int[][] everyLabel(int classes, int n) {
        int[][] labels = new int[classes][n];
        for (int c = 0; c < classes; c++) {
            java.util.Arrays.fill(labels[c], c);
        }
        return labels;
    }

    /** The share of nonzero activities of layer {@code l} over the samples' rows under the given labels. */
    static double activeShare(SimpleFFNetwork net, int l, float[] pixels, int[]... labels) {
        long nonzero = 0;
        long all = 0;
        for (int[] label : labels) {
            for (int i = 0; i < label.length; i++) {
                for (double h : ReferenceFF.forward(net, pixels, i, label[i])[l]) {
                    nonzero += h != 0 ? 1 : 0;
                    all++;
                }
            }
        }
        return (double) nonzero / all;
    }

    private static void checkAgainstFiniteDifferences(GoodnessRule rule, int[] widths, double scale) {
        SimpleFFNetwork net = SimpleFFNetwork.initialize(INPUT, CLASSES, widths, rule, 7);
        for (int l = 0; l < net.layers(); l++) {
            float[] p = net.parameters(l);
            for (int i = 0; i < p.length; i++) {
                p[i] *= (float) scale;
            }
        }
        checkAgainstFiniteDifferences(net, randomPixels(SAMPLES, INPUT, 3));
    }

    private static final int SAMPLES = 5;
    private static final int[] POSITIVE = {3, 1, 4, 1, 5};
    private static final int[] NEGATIVE = {9, 2, 6, 5, 3};

    private static void checkAgainstFiniteDifferences(SimpleFFNetwork net, float[] pixels) {
        int n = SAMPLES;
        int batch = 8;
        LayerGradients gradients = new LayerGradients(net);
        learn(new LocalLearning(), net, pixels, POSITIVE, NEGATIVE, n, batch, gradients);

        for (int l = 0; l < net.layers(); l++) {
            assertEquals(ReferenceFF.layerLoss(net, l, pixels, POSITIVE, NEGATIVE, n, batch),
                    gradients.loss(l), 1e-5, "loss of layer " + l);
            float[] p = net.parameters(l);
            double worst = 0;
            double largest = 0;
            for (int i = 0; i < p.length; i++) {
                float saved = p[i];
                double h = 1e-3;
                p[i] = (float) (saved + h);
                double up = ReferenceFF.layerLoss(net, l, pixels, POSITIVE, NEGATIVE, n, batch);
                p[i] = (float) (saved - h);
                double down = ReferenceFF.layerLoss(net, l, pixels, POSITIVE, NEGATIVE, n, batch);
                p[i] = saved;
                double numeric = (up - down) / (2 * h);
                worst = Math.max(worst, Math.abs(numeric - gradients.gradient(l)[i]));
                largest = Math.max(largest, Math.abs(numeric));
            }
            assertTrue(largest > 1e-4, "layer " + l + " gradient is not trivially zero");
            assertTrue(worst < 2e-3 * largest + 1e-5,
                    "layer " + l + ": worst gradient error " + worst + " against largest " + largest);
        }
    }

    @Test
    void gradientMatchesFiniteDifferencesWithMeanGoodness() {
        checkAgainstFiniteDifferences(GoodnessRule.PAPER, new int[] {7, 5}, 3);
    }

    @Test
    void gradientMatchesFiniteDifferencesWithNotebookRule() {
        checkAgainstFiniteDifferences(GoodnessRule.NOTEBOOK, new int[] {6, 4, 3}, 30);
    }

    @Test
    void gradientMatchesFiniteDifferencesWithSumGoodness() {
        checkAgainstFiniteDifferences(new GoodnessRule(GoodnessRule.Measure.SUM, 2.0, false),
                new int[] {6, 5}, 2);
    }

    @Test
    void gradientMatchesFiniteDifferencesWhenFewUnitsAreActive() {
        float[] pixels = randomPixels(SAMPLES, INPUT, 3);
        SimpleFFNetwork net = sparselyActive(INPUT, new int[] {60, 40}, pixels, SAMPLES, 0.03, 7);
        for (int l = 0; l < net.layers(); l++) {
            // Both shares below the cut, so the deltas of a layer (and layer 0's summed ones) go sparse.
            double share = activeShare(net, l, pixels, POSITIVE, NEGATIVE);
            assertTrue(share > 0 && 2 * share < SparseRows.MAX_DENSITY, "layer " + l + " active share " + share);
        }
        checkAgainstFiniteDifferences(net, pixels);
    }

    @Test
    void firstLayerScoresEqualTheScorersAndTheStepAfterThemIsUnchanged() {
        SimpleFFNetwork net = SimpleFFNetwork.initialize(INPUT, CLASSES, new int[] {9, 6}, GoodnessRule.PAPER, 3);
        int n = 5;
        float[] pixels = randomPixels(n, INPUT, 8);
        int[] positive = {0, 1, 2, 3, 4};
        int[] negative = {1, 2, 3, 4, 5};
        float[] fromScorer = new float[n * CLASSES];
        new LabelScorer().score(net, pixels, n, 0, 1, fromScorer);
        LocalLearning scoring = new LocalLearning();
        float[] fromStep = new float[n * CLASSES];
        scoring.begin(net, pixels, n);
        scoring.firstLayerScores(fromStep);
        assertArrayEquals(fromScorer, fromStep);

        LayerGradients afterScores = new LayerGradients(net);
        scoring.accumulate(positive, negative, n, 0f, afterScores);
        LayerGradients straight = new LayerGradients(net);
        learn(new LocalLearning(), net, pixels, positive, negative, n, n, straight);
        for (int l = 0; l < net.layers(); l++) {
            assertArrayEquals(straight.gradient(l), afterScores.gradient(l));
            assertEquals(straight.loss(l), afterScores.loss(l));
        }
    }

    @Test
    void sharesOfABatchAddUpToTheWholeBatch() {
        SimpleFFNetwork net = SimpleFFNetwork.initialize(INPUT, CLASSES, new int[] {9, 6}, GoodnessRule.PAPER, 1);
        float[] pixels = randomPixels(6, INPUT, 5);
        int[] positive = {0, 1, 2, 3, 4, 5};
        int[] negative = {1, 2, 3, 4, 5, 6};
        LayerGradients whole = new LayerGradients(net);
        learn(new LocalLearning(), net, pixels, positive, negative, 6, 6, whole);
        LayerGradients first = new LayerGradients(net);
        LayerGradients second = new LayerGradients(net);
        LocalLearning kernel = new LocalLearning();
        learn(kernel, net, java.util.Arrays.copyOfRange(pixels, 0, 2 * INPUT), new int[] {0, 1},
                new int[] {1, 2}, 2, 6, first);
        learn(kernel, net, java.util.Arrays.copyOfRange(pixels, 2 * INPUT, 6 * INPUT), new int[] {2, 3, 4, 5},
                new int[] {3, 4, 5, 6}, 4, 6, second);
        first.add(second);
        for (int l = 0; l < net.layers(); l++) {
            assertEquals(whole.loss(l), first.loss(l), 1e-6);
            for (int i = 0; i < whole.gradient(l).length; i++) {
                assertEquals(whole.gradient(l)[i], first.gradient(l)[i], 1e-6);
            }
        }
        assertEquals(6, first.positives());
    }
}
