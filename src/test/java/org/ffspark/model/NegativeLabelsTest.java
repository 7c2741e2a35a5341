package org.ffspark.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class NegativeLabelsTest {
    @Test
    void hardNegativesFollowTheSoftmaxOfTheWrongLabelsGoodness() {
        float[] goodness = {0f, 1f, 2f, 0f, (float) Math.log(3)}; // true label 2 is excluded
        int[] counts = new int[5];
        int draws = 200_000;
        for (int sample = 0; sample < draws; sample++) {
            int c = NegativeLabels.hardWrong(2, goodness, 0, 5, 7, 1, 3, sample);
            assertNotEquals(2, c);
            counts[c]++;
        }
        // exp(g): 1, e, -, 1, 3 over the wrong labels
        double total = 1 + Math.E + 1 + 3;
        assertEquals(1 / total, counts[0] / (double) draws, 0.005);
        assertEquals(Math.E / total, counts[1] / (double) draws, 0.005);
        assertEquals(1 / total, counts[3] / (double) draws, 0.005);
        assertEquals(3 / total, counts[4] / (double) draws, 0.005);
        assertEquals(NegativeLabels.hardWrong(2, goodness, 0, 5, 7, 1, 3, 11),
                NegativeLabels.hardWrong(2, goodness, 0, 5, 7, 1, 3, 11), "a function of seed and position");
    }

    @Test
    void uniformNegativesNeverRepeatTheTrueLabel() {
        int[] counts = new int[10];
        for (int sample = 0; sample < 90_000; sample++) {
            int c = NegativeLabels.uniformWrong(4, 10, 42, 1, 0, sample);
            assertNotEquals(4, c);
            counts[c]++;
        }
        for (int c = 0; c < 10; c++) {
            if (c != 4) {
                assertEquals(10_000, counts[c], 400);
            }
        }
    }
}
