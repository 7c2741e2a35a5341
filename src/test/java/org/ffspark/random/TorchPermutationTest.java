package org.ffspark.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TorchPermutationTest {
    @Test
    void generatorMatchesTheCxxStandardsCheckValues() {
        // C++ [rand.predef]: the 10000th output of a default-constructed mt19937 (seed 5489).
        Mt19937 standard = new Mt19937(5489);
        assertEquals(3499211612L, standard.nextUnsigned());
        standard.skip(9998);
        assertEquals(4123659995L, standard.nextUnsigned());
        // std::mt19937(42)(), the generator torch.manual_seed(42) starts from.
        assertEquals(1608637542L, new Mt19937(42).nextUnsigned());
    }

    @Test
    void reproducesWhatPyTorchPrints() {
        // torch.manual_seed(42); torch.randperm(10)  ->  tensor([2, 6, 1, 8, 4, 5, 0, 9, 3, 7])
        assertArrayEquals(new int[] {2, 6, 1, 8, 4, 5, 0, 9, 3, 7}, TorchPermutation.draw(10, new Mt19937(42)));
    }

    @Test
    void permutationIsTheForwardShuffleWithOneDrawPerPosition() {
        Mt19937 draws = new Mt19937(42);
        int[] expected = {0, 1, 2, 3, 4};
        for (int i = 0; i < 4; i++) {
            int z = (int) (draws.nextUnsigned() % (5 - i));
            int t = expected[i];
            expected[i] = expected[i + z];
            expected[i + z] = t;
        }
        Mt19937 generator = new Mt19937(42);
        assertArrayEquals(expected, TorchPermutation.draw(5, generator));
        assertEquals(draws.nextUnsigned(), generator.nextUnsigned(), "n-1 outputs consumed");
    }

    @Test
    void permutationHoldsEveryIndexOnce() {
        int[] p = TorchPermutation.draw(60000, new Mt19937(42));
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            assertEquals(i, sorted[i]);
        }
        assertEquals(59999, TorchPermutation.drawsFor(60000));
    }
}
