package org.ffspark.random;

/**
 * The 32-bit Mersenne Twister (Matsumoto and Nishimura, 1998), seeded the way PyTorch's CPU generator
 * is by {@code torch.manual_seed}. It exists for one purpose: drawing the notebook's data subset
 * ({@link TorchPermutation}) image for image, so that a run here and a run of the notebook are
 * measured on the same 20000 training and 2000 test images. Everything else in a run uses
 * {@link Seeds}, which needs no shared state.
 */
public final class Mt19937 {
    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER = 0x80000000;
    private static final int LOWER = 0x7fffffff;

    private final int[] state = new int[N];
    private int next = N;

    /** Seeded as {@code std::mt19937(seed)} and PyTorch are: only the low 32 bits of the seed count. */
    public Mt19937(long seed) {
        state[0] = (int) seed;
        for (int i = 1; i < N; i++) {
            int previous = state[i - 1];
            state[i] = 1812433253 * (previous ^ (previous >>> 30)) + i;
        }
    }

    /** The next output, an unsigned 32-bit value. */
    public long nextUnsigned() {
        if (next >= N) {
            twist();
        }
        int y = state[next++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    /** Throws away {@code count} outputs. */
    public void skip(long count) {
        for (long i = 0; i < count; i++) {
            nextUnsigned();
        }
    }

    private void twist() {
        for (int i = 0; i < N; i++) {
            int y = (state[i] & UPPER) | (state[(i + 1) % N] & LOWER);
            state[i] = state[(i + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        }
        next = 0;
    }
}
