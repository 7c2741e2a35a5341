package org.ffspark.data;

import java.io.Serializable;
import java.lang.ref.SoftReference;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * How to make one partition's block from the IDX files, so that executors read their data from the
 * file system themselves (local, HDFS, object storage) instead of receiving it from the driver, and a
 * lost block is rebuilt from the files. The driver and every executor apply the same seeded subset,
 * so all agree on which image is where.
 *
 * @param limit  seeded random subset size, 0 for all (see {@link LabeledImages#randomSubset})
 * @param drawsBefore generator outputs spent before the subset is drawn (see {@link LabeledImages#randomSubset})
 * @param head   keep only the first {@code head} images of the subset, 0 for all
 * @param parts  how many blocks the (sub)set is cut into
 */
public record BlockSource(String imageFile, String labelFile, int limit, long seed, long drawsBefore, int head,
                          int parts) implements Serializable {
    private static final long serialVersionUID = 1L;

    public BlockSource withHead(int images, int blocks) {
        return new BlockSource(imageFile, labelFile, limit, seed, drawsBefore, images, blocks);
    }

    public BlockSource withParts(int blocks) {
        return new BlockSource(imageFile, labelFile, limit, seed, drawsBefore, head, blocks);
    }

    /** The images this source describes, read and checked. */
    public LabeledImages images(Configuration hadoop) {
        LabeledImages all = files(hadoop).randomSubset(limit, seed, drawsBefore);
        return head > 0 ? all.head(head) : all;
    }

    /**
     * The whole files, decoded. An executor JVM builds several blocks from the same files (one per
     * core, plus the evaluation sets), so the last decoded pair is kept while memory allows; the key
     * includes size and modification time, so a changed file is read again.
     */
    private LabeledImages files(Configuration hadoop) {
        String key = imageFile + "|" + labelFile + "|" + IdxFiles.version(imageFile, hadoop) + "|"
                + IdxFiles.version(labelFile, hadoop);
        synchronized (DECODED) {
            SoftReference<LabeledImages> cached = DECODED.get(key);
            LabeledImages images = cached == null ? null : cached.get();
            if (images == null) {
                images = LabeledImages.of(IdxFiles.readImages(imageFile, hadoop),
                        IdxFiles.readLabels(labelFile, hadoop));
                DECODED.clear();
                DECODED.put(key, new SoftReference<>(images));
            }
            return images;
        }
    }

    private static final Map<String, SoftReference<LabeledImages>> DECODED = new HashMap<>();

    /** Block {@code part} of {@link #parts()}. */
    public DataBlock block(int part, Configuration hadoop) {
        return images(hadoop).blocks(parts).get(part);
    }
}
