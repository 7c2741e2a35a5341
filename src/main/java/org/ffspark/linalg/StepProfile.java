package org.ffspark.linalg;

import java.util.Map;
import java.util.TreeMap;

/**
 * Where a training step's time goes, section by section, for the bench's profile: off (one volatile
 * read a section) unless the bench turns it on. Sections may nest: each counts its own time, without
 * the sections inside it (a pass around a product counts the pass).
 */
public final class StepProfile {
    private static volatile boolean on;
    private static final Map<String, Section> SECTIONS = new TreeMap<>();

    private StepProfile() {
    }

    /** What one section took in all: calls, nanoseconds, floating-point operations, nonzeros read. */
    public static final class Section {
        private long calls;
        private long nanos;
        private long flops;
        private long nonzeros;
        private long entries;

        public long calls() {
            return calls;
        }

        public long nanos() {
            return nanos;
        }

        public long flops() {
            return flops;
        }

        /** The share of nonzero entries in the sparse operand, or NaN for a dense section. */
        public double density() {
            return entries == 0 ? Double.NaN : (double) nonzeros / entries;
        }
    }

    public static void enable(boolean enabled) {
        synchronized (SECTIONS) {
            SECTIONS.clear();
        }
        DEPTH.get()[0] = 0;
        on = enabled;
    }

    /** Per thread, the time of the sections running inside the open ones: each counts its own time only. */
    private static final ThreadLocal<long[]> INNER = ThreadLocal.withInitial(() -> new long[64]);
    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    /** Per thread: whether products run on active input columns, and on active outputs. */
    private static final ThreadLocal<boolean[]> PACKED = ThreadLocal.withInitial(() -> new boolean[2]);

    /** Marks this thread's next products as on active columns ({@link ActiveColumns}), or not. */
    static void packed(boolean packed) {
        PACKED.get()[0] = packed;
    }

    /** Marks this thread's next gradient products as over the active outputs alone, or not. */
    static void packedOutputs(boolean packed) {
        PACKED.get()[1] = packed;
    }

    /** A product's inner dimension as a section names it: {@code active} for packed products. */
    static String inner(int k) {
        return on && PACKED.get()[0] ? "active" : Integer.toString(k);
    }

    /** A gradient's outputs as a section names them: {@code active} when over the active outputs. */
    static String outputs(int outputs) {
        return on && PACKED.get()[1] ? "active" : Integer.toString(outputs);
    }

    /** A start time for {@link #add}, or 0 when off. Every start must be closed by one {@link #add}. */
    public static long start() {
        if (!on) {
            return 0;
        }
        int[] depth = DEPTH.get();
        INNER.get()[++depth[0]] = 0;
        return System.nanoTime();
    }

    /** Records a section that began at {@code started} ({@link #start}), of {@code flops} operations. */
    public static void add(String section, long started, long flops) {
        addSparse(section, started, flops, 0, 0);
    }

    /** As {@link #add}, for a product that read {@code nonzeros} of {@code entries} of its sparse side. */
    public static void addSparse(String section, long started, long flops, long nonzeros, long entries) {
        if (!on || started == 0) {
            return;
        }
        long total = System.nanoTime() - started;
        long[] inner = INNER.get();
        int[] depth = DEPTH.get();
        long took = total - inner[depth[0]];
        depth[0]--;
        if (depth[0] > 0) {
            inner[depth[0]] += total;
        }
        synchronized (SECTIONS) {
            Section s = SECTIONS.computeIfAbsent(section, k -> new Section());
            s.calls++;
            s.nanos += took;
            s.flops += flops;
            s.nonzeros += nonzeros;
            s.entries += entries;
        }
    }

    /** The sections recorded since profiling was enabled, by name. */
    public static Map<String, Section> sections() {
        synchronized (SECTIONS) {
            return new TreeMap<>(SECTIONS);
        }
    }
}
