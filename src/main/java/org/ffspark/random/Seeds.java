package org.ffspark.random;

/**
 * Derives independent random streams from the run seed and a position (epoch, step, sample...).
 *
 * <p>Every random choice in a run is a pure function of the run seed and where it is made, never of a
 * shared mutable generator: that is what makes a run reproducible whatever the partitioning, the task
 * order or the retries. The mixing function is SplitMix64's finaliser (Steele, Lea and Flood, 2014).
 */
public final class Seeds {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private Seeds() {
    }

    /** A well-mixed 64-bit value for the seed and the given coordinates. */
    public static long derive(long seed, long... coordinates) {
        long h = mix(seed ^ 0x5DEECE66DL);
        for (long c : coordinates) {
            h = mix(h + GOLDEN_GAMMA + mix(c + GOLDEN_GAMMA));
        }
        return h;
    }

    /** A uniform integer in {@code [0, bound)} from a derived value (Lemire's multiply-shift). */
    public static int uniform(long derived, int bound) {
        return (int) (((derived >>> 32) * bound) >>> 32);
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A uniformly random permutation of {@code 0..n-1} (Fisher-Yates) for the seed and coordinates. */
    public static int[] permutation(int n, long seed, long... coordinates) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.SplittableRandom random = new java.util.SplittableRandom(derive(seed, coordinates));
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
