package org.ffspark.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ffspark.linalg.ProductThreads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Products split between a task's threads give the bits a single thread gives. */
class ThreadedLearningTest {
    @AfterEach
    void oneThreadAgain() {
        ProductThreads.use(1);
    }

    private static LayerGradients step(SimpleFFNetwork net, float[] pixels, int n, int threads) {
        ProductThreads.use(threads);
        int[] positive = new int[n];
        int[] negative = new int[n];
        for (int i = 0; i < n; i++) {
            positive[i] = i % 10;
            negative[i] = (i + 3) % 10;
        }
        LayerGradients g = new LayerGradients(net, true);
        LocalLearning kernel = new LocalLearning();
        kernel.begin(net, pixels, n);
        kernel.accumulate(positive, negative, n, 0.03f, g);
        return g;
    }

    @Test
    void trainingAndScoringAreTheSameOnOneThreadAndOnThree() {
        int input = 300;
        int n = 100;
        float[] pixels = LocalLearningTest.randomPixels(n, input, 4);
        SimpleFFNetwork dense = SimpleFFNetwork.initialize(input, 10, new int[] {400, 300, 200},
                new GoodnessRule(GoodnessRule.Measure.SUM, 0, true),
                new SimpleFFNetwork.Design(InputNorm.RMS, 1, true, Classifier.GOODNESS), 5);
        SimpleFFNetwork sparse = LocalLearningTest.sparselyActive(input, new int[] {400, 300}, pixels, n, 0.04, 6);
        for (SimpleFFNetwork net : new SimpleFFNetwork[] {dense, sparse}) {
            LayerGradients one = step(net, pixels, n, 1);
            LayerGradients three = step(net, pixels, n, 3);
            for (int b = 0; b < net.blocks(); b++) {
                assertArrayEquals(one.gradient(b), three.gradient(b), "block " + b);
                assertEquals(one.loss(b), three.loss(b));
            }
            float[] scoresOne = new float[n * 10];
            float[] scoresThree = new float[n * 10];
            ProductThreads.use(1);
            new LabelScorer().score(net, pixels, n, scoresOne);
            ProductThreads.use(3);
            new LabelScorer().score(net, pixels, n, scoresThree);
            assertArrayEquals(scoresOne, scoresThree);
        }
    }
}
