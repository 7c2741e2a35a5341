package org.ffspark.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * A contiguous run of samples as one dense block: the unit a Spark partition caches. Images from IDX
 * files stay unsigned bytes (a quarter of the memory of floats), scaled to {@code [0, 1]} only when a
 * batch is gathered, which copies the rows anyway; features from a DataFrame or a LIBSVM file are kept
 * as the floats they are.
 *
 * @param firstIndex position of the block's first sample in the whole (sub)set, so that a global
 *                   sample index identifies the same sample however the set is partitioned
 * @param pixels     {@code count x features} bytes, or null when {@code values} holds the features
 * @param values     {@code count x features} floats, or null when {@code pixels} holds them
 */
public record DataBlock(int firstIndex, int count, int features, byte[] pixels, float[] values, int[] labels)
        implements Serializable {
    private static final long serialVersionUID = 2L;
    private static final float SCALE = 1f / 255f;

    /** An 8-bit pixel as the network reads it: every path that scores images scales them by this. */
    public static float pixel(byte value) {
        return (value & 0xFF) * SCALE;
    }

    /** A block of 8-bit pixels, read as {@code pixel / 255}. */
    public static DataBlock ofPixels(int firstIndex, int count, int features, byte[] pixels, int[] labels) {
        return new DataBlock(firstIndex, count, features, pixels, null, labels);
    }

    /** A block of float features, read as they are. */
    public static DataBlock ofValues(int firstIndex, int count, int features, float[] values, int[] labels) {
        return new DataBlock(firstIndex, count, features, null, values, labels);
    }

    public boolean holds(int globalIndex) {
        return globalIndex >= firstIndex && globalIndex < firstIndex + count;
    }

    public int label(int row) {
        return labels[row];
    }

    /** Writes row {@code row}'s features (pixels scaled to {@code [0, 1]}) into {@code out} at {@code offset}. */
    public void copyScaled(int row, float[] out, int offset) {
        int base = row * features;
        if (values != null) {
            System.arraycopy(values, base, out, offset, features);
            return;
        }
        for (int j = 0; j < features; j++) {
            out[offset + j] = pixel(pixels[base + j]);
        }
    }

    /** The same block renumbered to start at {@code first}. */
    public DataBlock startingAt(int first) {
        return new DataBlock(first, count, features, pixels, values, labels);
    }

    /** The rows {@code keep} marks, in their order, numbered from {@code first}. */
    public DataBlock select(boolean[] keep, int first) {
        int n = 0;
        for (boolean k : keep) {
            n += k ? 1 : 0;
        }
        byte[] p = pixels == null ? null : new byte[n * features];
        float[] v = values == null ? null : new float[n * features];
        int[] l = new int[n];
        int at = 0;
        for (int i = 0; i < count; i++) {
            if (keep[i]) {
                if (p != null) {
                    System.arraycopy(pixels, i * features, p, at * features, features);
                } else {
                    System.arraycopy(values, i * features, v, at * features, features);
                }
                l[at++] = labels[i];
            }
        }
        return new DataBlock(first, n, features, p, v, l);
    }

    /** Its first {@code rows} samples. */
    public DataBlock head(int rows) {
        if (rows >= count) {
            return this;
        }
        return new DataBlock(firstIndex, rows, features, pixels == null ? null : Arrays.copyOf(pixels, rows * features),
                values == null ? null : Arrays.copyOf(values, rows * features), Arrays.copyOf(labels, rows));
    }

    /** Blocks that follow one another (each starting where the one before ends) as one block. */
    public static DataBlock concat(List<DataBlock> blocks) {
        DataBlock first = blocks.get(0);
        int count = 0;
        for (DataBlock block : blocks) {
            if (block.firstIndex != first.firstIndex + count || block.features != first.features
                    || (block.pixels == null) != (first.pixels == null)) {
                throw new IllegalArgumentException("block at " + block.firstIndex + " does not follow the ones before");
            }
            count += block.count;
        }
        byte[] pixels = first.pixels == null ? null : new byte[count * first.features];
        float[] values = first.pixels == null ? new float[count * first.features] : null;
        int[] labels = new int[count];
        int at = 0;
        for (DataBlock block : blocks) {
            int size = block.count * block.features;
            if (pixels != null) {
                System.arraycopy(block.pixels, 0, pixels, at * block.features, size);
            } else {
                System.arraycopy(block.values, 0, values, at * block.features, size);
            }
            System.arraycopy(block.labels, 0, labels, at, block.count);
            at += block.count;
        }
        return new DataBlock(first.firstIndex, count, first.features, pixels, values, labels);
    }

    /** The largest label in the block, or -1 for an empty block. */
    public int maxLabel() {
        int max = -1;
        for (int i = 0; i < count; i++) {
            max = Math.max(max, labels[i]);
        }
        return max;
    }
}
