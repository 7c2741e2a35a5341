package org.ffspark.data;

import java.io.Serializable;

/**
 * A contiguous run of images as one dense block: the unit a Spark partition caches.
 *
 * <p>Pixels stay unsigned bytes (a quarter of the memory of floats) and are scaled to {@code [0, 1]}
 * only when a batch is gathered, which copies the rows anyway.
 *
 * @param firstIndex position of the block's first image in the whole (sub)set, so that a global
 *                   sample index identifies the same image however the set is partitioned
 */
public record DataBlock(int firstIndex, int count, int features, byte[] pixels, byte[] labels)
        implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final float SCALE = 1f / 255f;

    public boolean holds(int globalIndex) {
        return globalIndex >= firstIndex && globalIndex < firstIndex + count;
    }

    public int label(int row) {
        return labels[row];
    }

    /** Writes row {@code row} scaled to {@code [0, 1]} into {@code out} at {@code offset}. */
    public void copyScaled(int row, float[] out, int offset) {
        int base = row * features;
        for (int j = 0; j < features; j++) {
            out[offset + j] = (pixels[base + j] & 0xFF) * SCALE;
        }
    }
}
