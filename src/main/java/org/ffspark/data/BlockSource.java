package org.ffspark.data;

import java.io.Serializable;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.ffspark.random.Mt19937;
import org.ffspark.random.TorchPermutation;

/**
 * How to make one partition's block from the IDX files, so that executors read their data from the
 * file system themselves (local, HDFS, object storage) instead of receiving it from the driver, and a
 * lost block is rebuilt from the files. Every JVM draws the same seeded subset from the file's item count
 * alone, so all agree on which image is where, and each block reads only its own images from the files.
 *
 * @param count       the items the files hold (their headers' count, checked by the driver)
 * @param limit       seeded random subset size, 0 for all (see {@link #order})
 * @param drawsBefore generator outputs spent before the subset is drawn
 * @param head        keep only the first {@code head} images of the subset, 0 for all
 * @param parts       how many blocks the (sub)set is cut into
 */
public record BlockSource(String imageFile, String labelFile, int count, int limit, long seed, long drawsBefore,
                          int head, int parts) implements Serializable {
    private static final long serialVersionUID = 2L;

    public BlockSource withHead(int images, int blocks) {
        return new BlockSource(imageFile, labelFile, count, limit, seed, drawsBefore, images, blocks);
    }

    public BlockSource withParts(int blocks) {
        return new BlockSource(imageFile, labelFile, count, limit, seed, drawsBefore, head, blocks);
    }

    /**
     * The file positions of the (sub)set's images, in its order: all in file order, or the first
     * {@code limit} of PyTorch's {@code randperm(count)} under the seed, as the notebook draws its
     * subset; then its first {@code head}.
     */
    public int[] order() {
        int[] order;
        if (limit == 0) {
            order = new int[count];
            for (int i = 0; i < count; i++) {
                order[i] = i;
            }
        } else {
            Mt19937 generator = new Mt19937(seed);
            generator.skip(drawsBefore);
            order = Arrays.copyOf(TorchPermutation.draw(count, generator), limit);
        }
        return head > 0 && head < order.length ? Arrays.copyOf(order, head) : order;
    }

    /** The images of the (sub)set, read and checked (for what the driver needs whole: a few samples). */
    public LabeledImages images(Configuration hadoop) {
        return read(order(), hadoop);
    }

    /** Block {@code part} of {@link #parts()}: contiguous in the (sub)set's order, of nearly equal sizes. */
    public DataBlock block(int part, Configuration hadoop) {
        int[] order = order();
        int start = (int) ((long) order.length * part / parts);
        int end = (int) ((long) order.length * (part + 1) / parts);
        LabeledImages images = read(Arrays.copyOfRange(order, start, end), hadoop);
        int[] labels = new int[images.count()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = images.label(i);
        }
        return DataBlock.ofPixels(start, images.count(), images.features(), images.pixels(), labels);
    }

    private LabeledImages read(int[] positions, Configuration hadoop) {
        IdxReader.Header header = IdxFiles.header(imageFile, hadoop);
        byte[] pixels = IdxFiles.readItems(imageFile, positions, hadoop);
        byte[] labels = IdxFiles.readItems(labelFile, positions, hadoop);
        return new LabeledImages(positions.length, header.rows(), header.cols(), pixels, labels);
    }
}
