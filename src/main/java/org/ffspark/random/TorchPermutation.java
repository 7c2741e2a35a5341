package org.ffspark.random;

/**
 * {@code torch.randperm(n)} on the CPU after {@code torch.manual_seed(seed)}, reproduced: a forward
 * Fisher-Yates shuffle where position {@code i} swaps with {@code i + r % (n - i)}, {@code r} being the
 * generator's next 32-bit output (PyTorch's rule for every {@code n} below 2^32/20). The modulo is
 * slightly biased; that is PyTorch's choice and is kept, since the point is the same permutation.
 */
public final class TorchPermutation {
    private TorchPermutation() {
    }

    /** The permutation of {@code 0..n-1} drawn from {@code generator}, advancing it by n-1 outputs. */
    public static int[] draw(int n, Mt19937 generator) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = 0; i < n - 1; i++) {
            int z = (int) (generator.nextUnsigned() % (n - i));
            int t = order[i];
            order[i] = order[z + i];
            order[z + i] = t;
        }
        return order;
    }

    /** How many generator outputs a permutation of {@code n} consumes. */
    public static long drawsFor(int n) {
        return Math.max(0, n - 1);
    }
}
