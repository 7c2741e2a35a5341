package org.ffspark.linalg;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Large float arrays handed back for reuse: a replica's network and optimizer state are copied into
 * them at the start of every round instead of into fresh ones. Fresh memory costs far more than a copy
 * the first time it is written (the operating system maps and zeroes each page; in a virtual machine
 * that was about 150 ms for the paper network's 54 MB, against 8 ms to copy into memory already
 * written). Only what is handed back is reused, up to a quarter of the heap, until a training ends; an
 * array handed back must no longer be used by anyone.
 */
public final class ReusedArrays {
    /** Smaller arrays are cheap to allocate: not kept. */
    static final int MIN_LENGTH = 1 << 18;
    private static final long MAX_HELD_BYTES = Runtime.getRuntime().maxMemory() / 4;
    private static final Map<Integer, ArrayDeque<float[]>> FREE = new HashMap<>();
    private static long heldBytes;
    private static long reused;

    private ReusedArrays() {
    }

    /** An array of {@code length} floats with any contents: one handed back, or a new one. */
    public static synchronized float[] any(int length) {
        ArrayDeque<float[]> free = FREE.get(length);
        float[] kept = free == null ? null : free.poll();
        if (kept == null) {
            return new float[length];
        }
        heldBytes -= (long) length * Float.BYTES;
        reused++;
        return kept;
    }

    /** A copy of {@code values}. */
    public static float[] copyOf(float[] values) {
        float[] copy = any(values.length);
        System.arraycopy(values, 0, copy, 0, values.length);
        return copy;
    }

    /** An array of {@code length} zeros. */
    public static float[] zeros(int length) {
        if (length < MIN_LENGTH) {
            return new float[length];
        }
        float[] zeros = any(length);
        Arrays.fill(zeros, 0f);
        return zeros;
    }

    /** Hands {@code array} back: its owner must not use it again. */
    public static synchronized void handBack(float[] array) {
        long bytes = (long) array.length * Float.BYTES;
        if (array.length < MIN_LENGTH || heldBytes + bytes > MAX_HELD_BYTES) {
            return;
        }
        ArrayDeque<float[]> free = FREE.computeIfAbsent(array.length, n -> new ArrayDeque<>());
        for (float[] held : free) {
            if (held == array) {
                throw new IllegalStateException("an array was handed back twice");
            }
        }
        free.add(array);
        heldBytes += bytes;
    }

    /** Lets go of every array held: a finished training should not keep its copies' memory. */
    public static synchronized void release() {
        FREE.clear();
        heldBytes = 0;
    }

    /** Bytes held for reuse. */
    public static synchronized long heldBytes() {
        return heldBytes;
    }

    /** How many arrays have been taken from those handed back, since the JVM started. */
    public static synchronized long reused() {
        return reused;
    }
}
