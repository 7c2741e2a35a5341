package org.ffspark.data;

import java.util.ArrayList;
import java.util.List;
import org.ffspark.random.Mt19937;
import org.ffspark.random.TorchPermutation;

/**
 * Images with their labels, checked to belong together: {@code count} rows of {@code features}
 * unsigned-byte pixels and one label each.
 */
public record LabeledImages(int count, int rows, int cols, byte[] pixels, byte[] labels) implements java.io.Serializable {
    public static final int CLASSES = 10;

    public LabeledImages {
        if (pixels.length != (long) count * rows * cols || labels.length != count) {
            throw new IllegalArgumentException("pixels and labels do not match count " + count);
        }
    }

    /** Pairs an image file with its label file, refusing a pair whose counts differ. */
    public static LabeledImages of(ImageSet images, LabelSet labels) {
        if (images.count() != labels.count()) {
            throw new IdxFormatException(images.source(), images.count() + " images but "
                    + labels.source() + " holds " + labels.count() + " labels");
        }
        return new LabeledImages(images.count(), images.rows(), images.cols(), images.pixels(),
                labels.labels());
    }

    public int features() {
        return rows * cols;
    }

    public int label(int i) {
        return labels[i];
    }

    /**
     * A random subset of {@code limit} images: the notebook's {@code randperm(n)[:limit]} after
     * {@code torch.manual_seed(seed)}, image for image, once the generator has been advanced by
     * {@code drawsBefore} outputs (the notebook draws the test subset right after the training one).
     * {@code limit} 0 keeps everything in file order.
     */
    public LabeledImages randomSubset(int limit, long seed, long drawsBefore) {
        if (limit == 0) {
            return this;
        }
        Mt19937 generator = new Mt19937(seed);
        generator.skip(drawsBefore);
        return select(TorchPermutation.draw(count, generator), limit);
    }

    /** The first {@code n} images (or all, if there are fewer). */
    public LabeledImages head(int n) {
        int[] order = new int[Math.min(n, count)];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        return select(order, order.length);
    }

    private LabeledImages select(int[] order, int n) {
        int f = features();
        byte[] p = new byte[n * f];
        byte[] l = new byte[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(pixels, order[i] * f, p, i * f, f);
            l[i] = labels[order[i]];
        }
        return new LabeledImages(n, rows, cols, p, l);
    }

    /** Splits the images into {@code parts} contiguous blocks of nearly equal size, in order. */
    public List<DataBlock> blocks(int parts) {
        int f = features();
        List<DataBlock> blocks = new ArrayList<>(parts);
        for (int b = 0; b < parts; b++) {
            int start = (int) ((long) count * b / parts);
            int end = (int) ((long) count * (b + 1) / parts);
            byte[] p = new byte[(end - start) * f];
            int[] l = new int[end - start];
            System.arraycopy(pixels, start * f, p, 0, p.length);
            for (int i = 0; i < l.length; i++) {
                l[i] = labels[start + i];
            }
            blocks.add(DataBlock.ofPixels(start, end - start, f, p, l));
        }
        return blocks;
    }
}
