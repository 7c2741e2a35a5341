package org.ffspark.train;

import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.ffspark.data.DataBlock;
import org.ffspark.random.Seeds;

/** Cached blocks cut by rows: a seeded held-out part, or the first rows for monitoring. */
public final class BlockSplits {
    private BlockSplits() {
    }

    /** Blocks split in two, each numbered consecutively from 0: rows to train on, and rows held out. */
    public record Split(JavaRDD<DataBlock> kept, int keptCount, JavaRDD<DataBlock> heldOut, int heldOutCount) {
        public void unpersist() {
            kept.unpersist(false);
            heldOut.unpersist(false);
        }
    }

    /**
     * Holds out a seeded {@code fraction} of the rows: each row by its own draw from the seed and its
     * global number, so the same rows however the blocks were cut. Both parts are cached.
     */
    public static Split holdOut(JavaRDD<DataBlock> blocks, double fraction, long seed) {
        // Per partition (a partition holds one block, or none).
        List<int[]> counts = blocks.mapPartitions(it -> {
            int[] c = new int[2];
            while (it.hasNext()) {
                DataBlock b = it.next();
                for (boolean h : heldOut(b, fraction, seed)) {
                    c[h ? 1 : 0]++;
                }
            }
            return List.of(c).iterator();
        }).collect();
        int[] keptFrom = new int[counts.size()];
        int[] heldFrom = new int[counts.size()];
        int kept = 0;
        int held = 0;
        for (int i = 0; i < counts.size(); i++) {
            keptFrom[i] = kept;
            heldFrom[i] = held;
            kept += counts.get(i)[0];
            held += counts.get(i)[1];
        }
        JavaRDD<DataBlock> train = blocks.mapPartitionsWithIndex((i, it) -> it.hasNext()
                ? List.of(keep(it.next(), fraction, seed, false, keptFrom[i])).iterator()
                : Collections.<DataBlock>emptyIterator(), true).filter(b -> b.count() > 0);
        JavaRDD<DataBlock> out = blocks.mapPartitionsWithIndex((i, it) -> it.hasNext()
                ? List.of(keep(it.next(), fraction, seed, true, heldFrom[i])).iterator()
                : Collections.<DataBlock>emptyIterator(), true).filter(b -> b.count() > 0);
        train.persist(StorageLevel.MEMORY_AND_DISK()).count();
        out.persist(StorageLevel.MEMORY_AND_DISK()).count();
        return new Split(train, kept, out, held);
    }

    private static boolean[] heldOut(DataBlock b, double fraction, long seed) {
        boolean[] held = new boolean[b.count()];
        for (int r = 0; r < held.length; r++) {
            held[r] = new SplittableRandom(Seeds.derive(seed, HOLD_OUT_STREAM, b.firstIndex() + r))
                    .nextDouble() < fraction;
        }
        return held;
    }

    private static DataBlock keep(DataBlock b, double fraction, long seed, boolean heldPart, int first) {
        boolean[] held = heldOut(b, fraction, seed);
        boolean[] keep = new boolean[held.length];
        for (int r = 0; r < keep.length; r++) {
            keep[r] = held[r] == heldPart;
        }
        return b.select(keep, first);
    }

    /** The seed stream of the held-out draw, apart from every other use of the run seed. */
    private static final long HOLD_OUT_STREAM = 0x43414c4942L; // "CALIB"

    /** The blocks' first {@code rows} samples (in global order), for monitoring accuracy while training. */
    public static JavaRDD<DataBlock> head(JavaRDD<DataBlock> blocks, int rows) {
        return blocks.filter(b -> b.firstIndex() < rows).map(b -> b.head(rows - b.firstIndex()));
    }
}
