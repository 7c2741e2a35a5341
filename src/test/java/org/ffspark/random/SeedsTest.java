package org.ffspark.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SeedsTest {
    @Test
    void permutationHoldsEveryIndexOnceAndDependsOnlyOnSeedAndCoordinates() {
        int[] p = Seeds.permutation(1000, 42, 3);
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i]);
        }
        assertArrayEquals(p, Seeds.permutation(1000, 42, 3));
        assertFalse(Arrays.equals(p, Seeds.permutation(1000, 42, 4)));
        assertFalse(Arrays.equals(p, Seeds.permutation(1000, 43, 3)));
    }

    @Test
    void uniformDrawsCoverTheRangeEvenly() {
        int[] counts = new int[9];
        for (int i = 0; i < 90_000; i++) {
            counts[Seeds.uniform(Seeds.derive(7, i), 9)]++;
        }
        for (int c : counts) {
            assertEquals(10_000, c, 400);
        }
        assertNotEquals(Seeds.derive(1, 2, 3), Seeds.derive(1, 3, 2));
    }
}
