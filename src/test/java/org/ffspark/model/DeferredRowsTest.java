package org.ffspark.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ffspark.optim.Optimizer;
import org.ffspark.optim.OptimizerSettings;
import org.junit.jupiter.api.Test;

/**
 * A step's deferred gradient parts (the active input columns' gradient, peer normalisation's rank-one
 * term) added by the optimizer row by row give the same weights, bit for bit, as adding them first.
 */
class DeferredRowsTest {
    private static final int INPUT = 30;
    private static final int N = 6;
    private static final int[] POSITIVE = {3, 1, 4, 1, 5, 9};
    private static final int[] NEGATIVE = {9, 2, 6, 5, 3, 5};

    /** Two thirds of every layer's units never fire: the next layer's products run on the active columns. */
    private static SimpleFFNetwork network() {
        SimpleFFNetwork net = SimpleFFNetwork.initialize(INPUT, 10, new int[] {48, 48, 36},
                new GoodnessRule(GoodnessRule.Measure.SUM, 3, false),
                new SimpleFFNetwork.Design(InputNorm.RMS, 1, true, Classifier.GOODNESS), 7);
        for (int l = 0; l < net.layers(); l++) {
            float[] p = net.parameters(l);
            for (int j = 0; j < net.width(l); j += 3) {
                p[net.biasOffset(l) + j] = 1f;
                p[net.biasOffset(l) + j + 1] = -100f;
                p[net.biasOffset(l) + j + 2] = -100f;
            }
            java.util.Arrays.fill(net.unitMeans(l), 0.2f);
        }
        return net;
    }

    private static LayerGradients step(SimpleFFNetwork net, float[] pixels) {
        LayerGradients g = new LayerGradients(net, true);
        LocalLearning kernel = new LocalLearning();
        kernel.begin(net, pixels, N);
        kernel.accumulate(POSITIVE, NEGATIVE, 8, 0.03f, g);
        return g;
    }

    @Test
    void theOptimizerAddingTheDeferredPartsGivesTheWeightsOfAddingThemFirst() {
        float[] pixels = LocalLearningTest.randomPixels(N, INPUT, 11);
        OptimizerSettings sgd = new OptimizerSettings(OptimizerSettings.Kind.SGD, 0.01, 0, 0, 0, 0.9, 3e-4);
        SimpleFFNetwork first = network();
        SimpleFFNetwork second = network();
        Optimizer[] firstOptimizers = new Optimizer[first.blocks()];
        Optimizer[] secondOptimizers = new Optimizer[first.blocks()];
        for (int b = 0; b < first.blocks(); b++) {
            firstOptimizers[b] = Optimizer.create(sgd, first.parameterCount(b));
            secondOptimizers[b] = Optimizer.create(sgd, first.parameterCount(b));
        }
        int deferredLayers = 0;
        for (int stepTaken = 0; stepTaken < 3; stepTaken++) {
            LayerGradients added = step(first, pixels);
            LayerGradients deferred = step(second, pixels);
            for (int b = 0; b < first.blocks(); b++) {
                firstOptimizers[b].stepAndClear(first.parameters(b), added.gradient(b));
                if (deferred.deferred(b)) {
                    deferredLayers++;
                    secondOptimizers[b].stepAndClear(second.parameters(b), deferred.gradientWithoutDeferred(b),
                            deferred.deferredRowCount(b), deferred.deferredColumnCount(b), deferred.deferredRows(b));
                    deferred.deferredAdded(b);
                } else {
                    secondOptimizers[b].stepAndClear(second.parameters(b), deferred.gradient(b));
                }
                assertArrayEquals(bits(first.parameters(b)), bits(second.parameters(b)), "block " + b);
                assertArrayEquals(bits(firstOptimizers[b].firstMoment()), bits(secondOptimizers[b].firstMoment()));
            }
        }
        assertTrue(deferredLayers >= 3 * first.layers(), "every layer deferred its peer term");
    }

    @Test
    void theActiveColumnsOfALayerAreDeferredAndAddedWhenTheGradientIsRead() {
        SimpleFFNetwork net = network();
        float[] pixels = LocalLearningTest.randomPixels(N, INPUT, 12);
        LayerGradients g = step(net, pixels);
        DeferredRows rows = (DeferredRows) g.deferredRows(1);
        assertTrue(rows.hasColumns(), "layer 1's input has few active columns");
        float[] raw = g.gradientWithoutDeferred(1).clone();
        float[] full = g.gradient(1);
        assertTrue(!java.util.Arrays.equals(raw, full), "reading the gradient adds the deferred parts");
        assertTrue(!g.deferred(1), "and forgets them");
    }

    private static int[] bits(float[] a) {
        int[] bits = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            bits[i] = Float.floatToRawIntBits(a[i]);
        }
        return bits;
    }
}
