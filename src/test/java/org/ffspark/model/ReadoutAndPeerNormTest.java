package org.ffspark.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The paper's pieces in the simple network's kernel: RMS normalisation, a readout trained on a neutral
 * pass, peer normalisation, and scoring from a later layer, each held to the double-precision reference.
 */
class ReadoutAndPeerNormTest {
    private static final int INPUT = 12;
    private static final int CLASSES = 10;
    private static final int N = 5;
    private static final int BATCH = 8;
    private static final int[] POSITIVE = {3, 1, 4, 1, 5};
    private static final int[] NEGATIVE = {9, 2, 6, 5, 3};

    private static SimpleFFNetwork network(InputNorm norm, int scoreFrom, boolean readout, long seed) {
        SimpleFFNetwork net = SimpleFFNetwork.initialize(INPUT, CLASSES, new int[] {7, 6, 5},
                new GoodnessRule(GoodnessRule.Measure.SUM, 3, false),
                new SimpleFFNetwork.Design(norm, scoreFrom, readout, Classifier.GOODNESS), seed);
        if (readout) { // a readout that has learnt something: a zero one has no interesting gradient
            float[] r = net.parameters(net.readoutBlock());
            java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
            for (int i = 0; i < r.length; i++) {
                r[i] = (float) (random.nextDouble() * 2 - 1);
            }
        }
        return net;
    }

    private static LayerGradients step(SimpleFFNetwork net, float[] pixels, float peerNorm) {
        LayerGradients g = new LayerGradients(net, peerNorm > 0);
        LocalLearning kernel = new LocalLearning();
        kernel.begin(net, pixels, N);
        kernel.accumulate(POSITIVE, NEGATIVE, BATCH, peerNorm, g);
        return g;
    }

    @Test
    void rmsNormalisedLayersLearnByTheirFiniteDifferences() {
        SimpleFFNetwork net = network(InputNorm.RMS, 0, false, 4);
        float[] pixels = LocalLearningTest.randomPixels(N, INPUT, 3);
        LayerGradients g = step(net, pixels, 0f);
        for (int l = 0; l < net.layers(); l++) {
            assertEquals(ReferenceFF.layerLoss(net, l, pixels, POSITIVE, NEGATIVE, N, BATCH), g.loss(l), 1e-5);
            int layer = l;
            assertMatchesFiniteDifferences(net.parameters(l), g.gradient(l),
                    () -> ReferenceFF.layerLoss(net, layer, pixels, POSITIVE, NEGATIVE, N, BATCH), "layer " + l);
        }
    }

    @Test
    void readoutLearnsItsCrossEntropyAloneAndLeavesTheLayersAsTheyWere() {
        SimpleFFNetwork net = network(InputNorm.RMS, 1, true, 6);
        float[] pixels = LocalLearningTest.randomPixels(N, INPUT, 9);
        LayerGradients g = step(net, pixels, 0f);
        int readout = net.readoutBlock();
        assertEquals(3, readout);
        assertEquals(CLASSES * (6 + 5), net.parameterCount(readout), "the readout sees layers 2 and 3");
        assertEquals(ReferenceFF.readoutLoss(net, pixels, POSITIVE, N, BATCH), g.loss(readout), 1e-5);
        assertMatchesFiniteDifferences(net.parameters(readout), g.gradient(readout),
                () -> ReferenceFF.readoutLoss(net, pixels, POSITIVE, N, BATCH), "readout");

        LayerGradients without = step(net.withReadout(null, Classifier.GOODNESS), pixels, 0f);
        for (int l = 0; l < net.layers(); l++) {
            assertArrayEquals(without.gradient(l), g.gradient(l), "layer " + l + " does not learn from the readout");
        }
    }

    @Test
    void readoutScoresOfTheStepEqualThePredictionsAndTheReference() {
        SimpleFFNetwork net = network(InputNorm.LENGTH, 1, true, 2);
        float[] pixels = LocalLearningTest.randomPixels(N, INPUT, 5);
        LocalLearning kernel = new LocalLearning();
        kernel.begin(net, pixels, N);
        float[] fromStep = new float[N * CLASSES];
        kernel.readoutLogits(fromStep);
        float[] fromScorer = new float[N * CLASSES];
        new LabelScorer().readoutLogits(net, pixels, N, fromScorer);
        float[] r = net.parameters(net.readoutBlock());
        for (int i = 0; i < N; i++) {
            double[] f = ReferenceFF.readoutFeatures(net, pixels, i);
            for (int c = 0; c < CLASSES; c++) {
                double logit = 0;
                for (int d = 0; d < f.length; d++) {
                    logit += r[c * f.length + d] * f[d];
                }
                assertEquals(logit, fromStep[i * CLASSES + c], 1e-5, "step, image " + i + " label " + c);
                assertEquals(fromStep[i * CLASSES + c], fromScorer[i * CLASSES + c], 1e-6);
            }
        }
        float[] scores = new float[N * CLASSES];
        new LabelScorer().score(net.withClassifier(Classifier.READOUT), pixels, N, scores);
        assertArrayEquals(fromScorer, scores, "classifier=readout scores by the readout");
    }

    @Test
    void peerNormalisationAddsEachUnitsDerivativeTimesItsSummedInput() {
        SimpleFFNetwork net = network(InputNorm.RMS, 0, false, 8);
        float[] pixels = LocalLearningTest.randomPixels(N, INPUT, 2);
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        for (int l = 0; l < net.layers(); l++) {
            float[] means = net.unitMeans(l);
            for (int j = 0; j < means.length; j++) {
                means[j] = (float) random.nextDouble();
            }
        }
        float strength = 0.5f;
        LayerGradients plain = step(net, pixels, 0f);
        LayerGradients peer = step(net, pixels, strength);
        for (int l = 0; l < net.layers(); l++) {
            float[] means = net.unitMeans(l);
            int width = net.width(l);
            int inputs = net.inputs(l);
            double mean = 0;
            for (float m : means) {
                mean += m;
            }
            mean /= width;
            double[] inputSum = new double[inputs];
            double[] activitySum = new double[width];
            for (int i = 0; i < N; i++) {
                double[][] h = ReferenceFF.forward(net, pixels, i, POSITIVE[i]);
                double[] a = l == 0 ? ReferenceFF.normalised(net, ReferenceFF.firstInput(net, pixels, i, POSITIVE[i]))
                        : ReferenceFF.normalised(net, h[l - 1]);
                for (int k = 0; k < inputs; k++) {
                    inputSum[k] += a[k];
                }
                for (int j = 0; j < width; j++) {
                    activitySum[j] += h[l][j];
                }
            }
            for (int j = 0; j < width; j++) {
                // d/dh of strength * mean_k (mean - m_k)^2 through m_j = 0.9 m_j + 0.1 * batch mean of h_j
                double unit = strength * 2 * (1 - PeerNormalisation.MOMENTUM) / ((double) width * BATCH)
                        * (means[j] - mean);
                for (int k = 0; k < inputs; k++) {
                    double added = peer.gradient(l)[j * inputs + k] - plain.gradient(l)[j * inputs + k];
                    assertEquals(unit * inputSum[k], added, 1e-6, "layer " + l + " unit " + j + " input " + k);
                }
                double bias = peer.gradient(l)[net.biasOffset(l) + j] - plain.gradient(l)[net.biasOffset(l) + j];
                assertEquals(unit * N, bias, 1e-6);
                assertEquals(activitySum[j], peer.activitySums(l)[j], 1e-5, "the positives' activity sums");
            }
        }
    }

    @Test
    void runningMeansMoveATenthOfTheWayToTheStepsMeanActivity() {
        SimpleFFNetwork net = network(InputNorm.RMS, 0, false, 8);
        LayerGradients g = step(net, LocalLearningTest.randomPixels(N, INPUT, 2), 0.03f);
        float[] before = net.unitMeans(1).clone();
        PeerNormalisation.update(net, g);
        for (int j = 0; j < before.length; j++) {
            assertEquals(0.9 * before[j] + 0.1 * g.activitySums(1)[j] / N, net.unitMeans(1)[j], 1e-6);
        }
        assertEquals(0.0, PeerNormalisation.penalty(new float[] {0.5f, 0.5f}), 0);
        assertEquals(0.25, PeerNormalisation.penalty(new float[] {0f, 1f}), 1e-12);
    }

    @Test
    void scoringFromALaterLayerSumsOnlyThatLayerOnward() {
        SimpleFFNetwork net = network(InputNorm.RMS, 1, false, 3);
        int n = 40;
        float[] pixels = LocalLearningTest.randomPixels(n, INPUT, 4);
        float[] fast = new float[n * CLASSES];
        new LabelScorer().score(net, pixels, n, fast);
        double[] reference = ReferenceFF.labelGoodness(net, pixels, n, 1, 3);
        for (int i = 0; i < fast.length; i++) {
            assertEquals(reference[i], fast[i], 1e-5 * Math.max(1, Math.abs(reference[i])), "entry " + i);
        }
    }

    private static void assertMatchesFiniteDifferences(float[] p, float[] gradient,
                                                       java.util.function.DoubleSupplier loss, String what) {
        double worst = 0;
        double largest = 0;
        for (int i = 0; i < p.length; i++) {
            float saved = p[i];
            double h = 1e-3;
            p[i] = (float) (saved + h);
            double up = loss.getAsDouble();
            p[i] = (float) (saved - h);
            double down = loss.getAsDouble();
            p[i] = saved;
            double numeric = (up - down) / (2 * h);
            worst = Math.max(worst, Math.abs(numeric - gradient[i]));
            largest = Math.max(largest, Math.abs(numeric));
        }
        assertTrue(largest > 1e-4, what + " gradient is not trivially zero");
        assertTrue(worst < 2e-3 * largest + 1e-5, what + ": worst gradient error " + worst + " against largest " + largest);
    }
}
