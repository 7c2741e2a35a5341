package org.ffspark.linalg;

/**
 * The columns of a row-major block that hold a nonzero anywhere in it, and the block and a weight
 * matrix packed to those columns alone. Past ReLU most of a layer's units are zero for every image of a
 * step (a layer of 2000 on MNIST lights a sixth of its units over a batch), and a product over the
 * active columns only is the dense product without the columns that add nothing: BLAS-fast, and as
 * much cheaper as the columns are fewer. An instance holds its buffers: use one per thread and pass.
 */
public final class ActiveColumns {
    private int[] index = new int[0];
    private float[] largest = new float[0];
    private int count;
    private float[] rows = new float[0];
    private float[] weights = new float[0];

    /**
     * Finds the active columns of {@code a[rows x width]}; returns whether there are at most
     * {@code maxShare * width} of them (and so whether a packed product is worth its packing).
     */
    public boolean find(float[] a, int rows, int width, double maxShare) {
        if (largest.length < width) {
            largest = new float[width];
            index = new int[width];
        } else {
            java.util.Arrays.fill(largest, 0, width, 0f);
        }
        // Each column's largest magnitude, in a loop the JIT vectorises; NaN counts as active.
        for (int r = 0; r < rows; r++) {
            int base = r * width;
            for (int k = 0; k < width; k++) {
                largest[k] = Math.max(largest[k], Math.abs(a[base + k]));
            }
        }
        count = 0;
        for (int k = 0; k < width; k++) {
            if (!(largest[k] == 0f)) {
                index[count++] = k;
            }
        }
        return count <= maxShare * width;
    }

    /**
     * As {@link #find}, from the bits of the block's columns ORed together ({@link LaneSums#addBiasRelu}
     * gathers them as ReLU writes the block): a column whose bits are 0 held only zeros. Saves reading
     * the block again.
     */
    public boolean fromBits(int[] bits, int width, double maxShare) {
        if (largest.length < width) {
            largest = new float[width];
            index = new int[width];
        }
        count = 0;
        for (int k = 0; k < width; k++) {
            if (bits[k] != 0) {
                index[count++] = k;
            }
        }
        return count <= maxShare * width;
    }

    /** Marks this thread's products as on the active columns until {@link #done}, for the step profile. */
    public static void using() {
        StepProfile.packed(true);
    }

    /** Ends {@link #using}. */
    public static void done() {
        StepProfile.packed(false);
    }

    /** The number of active columns found. */
    public int count() {
        return count;
    }

    /** {@code a}'s active columns, {@code rows x count()}. */
    public float[] packRows(float[] a, int rows, int width) {
        this.rows = grow(this.rows, rows * count, rows * width);
        for (int r = 0; r < rows; r++) {
            int from = r * width;
            int to = r * count;
            for (int j = 0; j < count; j++) {
                this.rows[to + j] = a[from + index[j]];
            }
        }
        return this.rows;
    }

    /**
     * The weights' active input columns, {@code outputs x count()}: row {@code o} holds
     * {@code w[offset + o * stride + k]} for the active {@code k}.
     */
    public float[] packWeights(float[] w, int offset, int stride, int outputs) {
        weights = grow(weights, outputs * count, outputs * largest.length);
        int[] active = index;
        int n = count;
        float[] packed = weights;
        ProductThreads.split(outputs, (long) outputs * n, (o0, o1) -> {
            for (int o = o0; o < o1; o++) {
                int from = offset + o * stride;
                int to = o * n;
                for (int j = 0; j < n; j++) {
                    packed[to + j] = w[from + active[j]];
                }
            }
        });
        return packed;
    }

    /**
     * Adds {@code g[count() x k]}, one row per active column, to those rows of {@code grad} (whose rows
     * are {@code stride} long from {@code offset}): a gradient computed for the active outputs only.
     */
    public void addRows(float[] g, int k, float[] grad, int offset, int stride) {
        int[] active = index;
        ProductThreads.split(count, (long) count * k, (j0, j1) -> {
            for (int j = j0; j < j1; j++) {
                LaneSums.addScaled(1f, g, j * k, grad, offset + active[j] * stride, k);
            }
        });
    }

    /** Copies the active columns' indices into {@code into} (at least {@link #count} long). */
    public void copyIndex(int[] into) {
        System.arraycopy(index, 0, into, 0, count);
    }

    /** Writes {@code packed[j]} to {@code full[index of active column j]}; leaves the other entries. */
    public void spread(float[] packed, float[] full) {
        for (int j = 0; j < count; j++) {
            full[index[j]] = packed[j];
        }
    }

    /**
     * The buffer if it holds {@code size}; else one of the largest size it may need, {@code most}: the
     * active columns change from step to step, and a buffer grown a little at a time would be a new
     * large array (and garbage) every few steps.
     */
    private static float[] grow(float[] buffer, int size, int most) {
        return buffer.length >= size ? buffer : new float[Math.max(size, most)];
    }
}
