package org.ffspark.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.ffspark.linalg.SparseRows;
import org.junit.jupiter.api.Test;

class LabelScorerTest {
    @Test
    void sharedPixelProductGivesTheStraightforwardGoodnessForEveryLabel() {
        int input = 16;
        SimpleFFNetwork net = SimpleFFNetwork.initialize(input, 10, new int[] {11, 7, 5}, GoodnessRule.PAPER, 9);
        int n = 300; // more than one chunk
        float[] pixels = LocalLearningTest.randomPixels(n, input, 4);
        float[] fast = new float[n * 10];
        new LabelScorer().score(net, pixels, n, fast);
        double[] reference = ReferenceFF.labelGoodness(net, pixels, n);
        for (int i = 0; i < fast.length; i++) {
            assertEquals(reference[i], fast[i], 1e-5 * Math.max(1, Math.abs(reference[i])), "entry " + i);
        }
    }

    @Test
    void fewActiveUnitsGiveTheStraightforwardGoodnessToo() {
        int input = 16;
        int n = 300;
        float[] pixels = LocalLearningTest.randomPixels(n, input, 4);
        SimpleFFNetwork net = LocalLearningTest.sparselyActive(input, new int[] {60, 40, 30}, pixels, n, 0.04, 9);
        int[][] everyLabel = LocalLearningTest.everyLabel(10, n);
        for (int l = 0; l < 2; l++) { // the inputs of layers 1 and 2 below the cut: the sparse product
            double share = LocalLearningTest.activeShare(net, l, pixels, everyLabel);
            assertTrue(share > 0 && share < SparseRows.MAX_DENSITY,
                    "layer " + l + " active share " + share);
        }
        float[] fast = new float[n * 10];
        LabelScorer scorer = new LabelScorer();
        scorer.score(net, pixels, n, fast);
        double[] reference = ReferenceFF.labelGoodness(net, pixels, n);
        for (int i = 0; i < fast.length; i++) {
            assertEquals(reference[i], fast[i], 1e-5 * Math.max(1, Math.abs(reference[i])), "entry " + i);
        }
        // Changed weights between calls (a training step's scoring): the next call sees them.
        float[] w = net.parameters(1);
        for (int i = 0; i < net.biasOffset(1); i++) {
            w[i] *= -1;
        }
        scorer.score(net, pixels, n, fast);
        reference = ReferenceFF.labelGoodness(net, pixels, n);
        for (int i = 0; i < fast.length; i++) {
            assertEquals(reference[i], fast[i], 1e-5 * Math.max(1, Math.abs(reference[i])), "changed, entry " + i);
        }
    }

    @Test
    void scoringTheFirstLayersSumsTheirGoodnessOnly() {
        int input = 16;
        SimpleFFNetwork net = SimpleFFNetwork.initialize(input, 10, new int[] {11, 7, 5}, GoodnessRule.PAPER, 9);
        int n = 130;
        float[] pixels = LocalLearningTest.randomPixels(n, input, 5);
        for (int layers = 1; layers <= 3; layers++) {
            float[] fast = new float[n * 10];
            new LabelScorer().score(net, pixels, n, 0, layers, fast);
            double[] reference = ReferenceFF.labelGoodness(net, pixels, n, layers);
            for (int i = 0; i < fast.length; i++) {
                assertEquals(reference[i], fast[i], 1e-5 * Math.max(1, Math.abs(reference[i])),
                        layers + " layers, entry " + i);
            }
        }
    }

    @Test
    void predictionIsTheLabelWithTheHighestGoodnessFirstOnTies() {
        float[] goodness = {0, 3, 1, 0, 0, 0, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0};
        assertArrayEquals(new int[] {1, 0}, LabelScorer.predictions(goodness, 2, 10));
    }
}
