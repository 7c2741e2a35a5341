package org.ffspark.train;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.apache.spark.Partition;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.ffspark.FfsparkException;
import org.ffspark.data.DataBlock;
import org.ffspark.random.Mt19937;
import org.ffspark.random.TorchPermutation;

/**
 * A DataFrame's feature vectors and labels as the trainer's dense blocks of floats, one per partition,
 * numbered consecutively across partitions so that a global sample index names one row however Spark
 * split them. Every row is checked as it is read (no null, every vector as wide as the others and as the
 * column's metadata says, finite values, whole non-negative labels); a problem stops the fit with one
 * line naming the column and the row.
 */
public final class FrameBlocks {
    private FrameBlocks() {
    }

    /**
     * The cached blocks of a frame and what they hold.
     *
     * @param classes the number of classes: the label column's metadata, else the largest label plus one
     */
    public record Blocks(JavaRDD<DataBlock> blocks, int count, int features, int classes) {
        public void unpersist() {
            blocks.unpersist(false);
        }
    }

    /** What one partition holds, for the driver's checks. */
    private record PartitionShape(int rows, int width, int widthRow, int maxLabel) implements Serializable {
    }

    /**
     * Reads {@code dataset}'s two columns into cached blocks, cut into {@code partitions} (0: as the frame
     * is), after checking the columns' types.
     */
    public static Blocks of(Dataset<?> dataset, String featuresCol, String labelCol, int partitions) {
        FrameColumns.checkColumns(dataset, featuresCol, labelCol);
        JavaRDD<Row> rows = dataset.select(featuresCol, labelCol).toJavaRDD();
        if (partitions > 0 && rows.getNumPartitions() != partitions) {
            rows = rows.repartition(partitions);
        }
        rows.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            List<Integer> counts = rows.mapPartitions(it -> {
                int n = 0;
                while (it.hasNext()) {
                    it.next();
                    n++;
                }
                return List.of(n).iterator();
            }).collect();
            int[] offsets = new int[counts.size()];
            int total = 0;
            for (int i = 0; i < offsets.length; i++) {
                offsets[i] = total;
                total += counts.get(i);
            }
            if (total == 0) {
                throw new FfsparkException("the DataFrame has no rows");
            }
            int declared = FrameColumns.declaredSize(dataset, featuresCol);
            JavaRDD<DataBlock> blocks = rows.mapPartitionsWithIndex((index, it) ->
                    List.of(block(it, offsets[index], featuresCol, labelCol, declared)).iterator(), true)
                    .filter(b -> b.count() > 0);
            blocks.persist(StorageLevel.MEMORY_AND_DISK());
            // A frame made from a collection on the driver holds its rows inside its partitions, and every
            // task of every training step would ship them again. Its blocks are cut loose from that lineage
            // once the next job has cached them; they keep the frame's order, so the first rows stay first.
            // Frames read from storage keep their lineage, to be read again if an executor is lost.
            if (carriesRows(blocks)) {
                blocks.rdd().localCheckpoint();
            }
            int[] shape = widthAndMaxLabel(blocks, (w, s) -> String.format(Locale.ROOT, "features column '%s': rows "
                    + "have %d and %d values (row %d has %d); every vector must be as wide", featuresCol, w, s.width(),
                    s.widthRow(), s.width()));
            int width = shape[0];
            int maxLabel = shape[1];
            int classes = FrameColumns.declaredClasses(dataset, labelCol);
            if (classes > 0 && maxLabel >= classes) {
                blocks.unpersist(false);
                throw new FfsparkException("label column '" + labelCol + "' holds " + maxLabel + " but its metadata "
                        + "declares " + classes + " classes");
            }
            return new Blocks(blocks, total, width, classes > 0 ? classes : Math.max(2, maxLabel + 1));
        } finally {
            rows.unpersist(false);
        }
    }

    /**
     * Rows read from files as cached blocks, numbered in file order (files by name, rows as they stand),
     * or, with a {@code limit}, the seeded random subset of that many drawn as the IDX files' subsets are
     * (a permutation of the row numbers under the seed, its first {@code limit}), in the order drawn; cut
     * into {@code partitions} blocks of consecutive rows. However Spark split the files, the same files
     * give the same blocks. A row's problem stops here, the first in file order named.
     */
    public static Blocks ofFileRows(JavaRDD<FileRows.Row> rows, int partitions, int limit, long seed,
                                    long drawsBefore, String limitKey, String what) {
        List<FileRows.Row> problems = rows.filter(r -> r.problem() != null).collect();
        if (!problems.isEmpty()) {
            FileRows.Row first = problems.stream().min(FrameBlocks::inFileOrder).orElseThrow();
            throw new FfsparkException(first.file() + ": " + first.problem());
        }
        // Row numbers run on from file to file, the files in name order.
        Map<String, Long> perFile = new TreeMap<>(rows.map(FileRows.Row::file).countByValue());
        Map<String, Long> before = new java.util.HashMap<>();
        long total = 0;
        for (Map.Entry<String, Long> e : perFile.entrySet()) {
            before.put(e.getKey(), total);
            total += e.getValue();
        }
        if (total == 0) {
            throw new FfsparkException(what + " holds no rows");
        }
        if (limit > total) {
            throw new FfsparkException(limitKey + " " + limit + " is larger than the " + total + " rows of " + what);
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new FfsparkException(what + " holds " + total + " rows, more than ffspark numbers");
        }
        int count = limit > 0 ? limit : (int) total;
        int[] place = null;
        if (limit > 0) {
            Mt19937 generator = new Mt19937(seed);
            generator.skip(drawsBefore);
            int[] order = TorchPermutation.draw((int) total, generator);
            place = new int[(int) total];
            java.util.Arrays.fill(place, -1);
            for (int i = 0; i < limit; i++) {
                place[order[i]] = i;
            }
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(rows.context());
        Broadcast<Map<String, Long>> offsets = sc.broadcast(before);
        Broadcast<int[]> places = place == null ? null : sc.broadcast(place);
        int parts = Math.max(1, Math.min(partitions, count));
        JavaPairRDD<Integer, FileRows.Row> numbered = rows.mapToPair(r -> {
            int index = (int) (offsets.value().get(r.file()) + r.rowInFile());
            return new scala.Tuple2<>(places == null ? index : places.value()[index], r);
        }).filter(t -> t._1() >= 0);
        JavaRDD<DataBlock> blocks = numbered.repartitionAndSortWithinPartitions(new Consecutive(parts, count))
                .mapPartitions(it -> List.of(block(it)).iterator(), true)
                .filter(b -> b.count() > 0);
        blocks.persist(StorageLevel.MEMORY_AND_DISK());
        int[] shape = widthAndMaxLabel(blocks, (w, s) -> what + ": rows have " + w + " and " + s.width()
                + " features; every row must be as wide");
        return new Blocks(blocks, count, shape[0], Math.max(2, shape[1] + 1));
    }

    /**
     * The blocks' common width and their largest label; blocks of another width than the first are
     * unpersisted and refused with {@code mismatch}'s message.
     */
    private static int[] widthAndMaxLabel(JavaRDD<DataBlock> blocks,
                                          BiFunction<Integer, PartitionShape, String> mismatch) {
        List<PartitionShape> shapes = blocks.map(b -> new PartitionShape(b.count(), b.features(), b.firstIndex(),
                b.maxLabel())).collect();
        int width = shapes.get(0).width();
        int maxLabel = -1;
        for (PartitionShape s : shapes) {
            if (s.width() != width) {
                blocks.unpersist(false);
                throw new FfsparkException(mismatch.apply(width, s));
            }
            maxLabel = Math.max(maxLabel, s.maxLabel());
        }
        return new int[] {width, maxLabel};
    }

    private static int inFileOrder(FileRows.Row a, FileRows.Row b) {
        return a.file().equals(b.file()) ? Long.compare(a.rowInFile(), b.rowInFile()) : a.file().compareTo(b.file());
    }

    /** Rows 0 .. count-1 into {@code parts} runs of consecutive numbers, as even as can be. */
    private static final class Consecutive extends org.apache.spark.Partitioner {
        private final int parts;
        private final int count;

        Consecutive(int parts, int count) {
            this.parts = parts;
            this.count = count;
        }

        @Override
        public int numPartitions() {
            return parts;
        }

        @Override
        public int getPartition(Object key) {
            return (int) ((long) (Integer) key * parts / count);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Consecutive c && c.parts == parts && c.count == count;
        }

        @Override
        public int hashCode() {
            return 31 * parts + count;
        }
    }

    /** One run of consecutive numbered rows as a block. */
    private static DataBlock block(Iterator<scala.Tuple2<Integer, FileRows.Row>> rows) {
        List<scala.Tuple2<Integer, FileRows.Row>> all = new ArrayList<>();
        rows.forEachRemaining(all::add);
        if (all.isEmpty()) {
            return DataBlock.ofValues(0, 0, 0, new float[0], new int[0]);
        }
        int width = all.get(0)._2().features().size();
        float[] values = new float[all.size() * width];
        int[] labels = new int[all.size()];
        for (int i = 0; i < all.size(); i++) {
            FileRows.Row r = all.get(i)._2();
            if (r.features().size() != width) {
                // reported by the driver, which compares the blocks' widths
                return DataBlock.ofValues(all.get(0)._1(), 1, r.features().size(), new float[r.features().size()],
                        new int[1]);
            }
            double[] dense = r.features().toArray();
            for (int j = 0; j < width; j++) {
                values[i * width + j] = (float) dense[j];
            }
            labels[i] = (int) r.label();
        }
        return DataBlock.ofValues(all.get(0)._1(), all.size(), width, values, labels);
    }

    /** A serialized partition larger than this holds data, not just a description of where data is. */
    private static final int PARTITION_BYTES = 64 * 1024;

    /**
     * Whether any partition of {@code rdd} carries its data with it: its serialized form, which every task
     * on it ships, is larger than {@link #PARTITION_BYTES}. (Counted in full: stopping the writer early
     * makes Spark log the interruption as an error.)
     */
    static boolean carriesRows(JavaRDD<?> rdd) {
        for (Partition partition : rdd.partitions()) {
            ByteCounter counter = new ByteCounter();
            try (ObjectOutputStream out = new ObjectOutputStream(counter)) {
                out.writeObject(partition);
            } catch (IOException e) {
                return false; // not serializable: Spark's own task serialization will say so
            }
            if (counter.bytes > PARTITION_BYTES) {
                return true;
            }
        }
        return false;
    }

    /** Counts what is written to it, keeping nothing. */
    private static final class ByteCounter extends OutputStream {
        private long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }

    /** One partition's rows as a block, each row checked. */
    private static DataBlock block(Iterator<Row> rows, int first, String featuresCol, String labelCol, int declared) {
        List<Row> all = new ArrayList<>();
        rows.forEachRemaining(all::add);
        int width = -1;
        float[] values = new float[0];
        int[] labels = new int[all.size()];
        for (int i = 0; i < all.size(); i++) {
            int row = first + i;
            Row r = all.get(i);
            Vector v = FrameColumns.features(r.isNullAt(0) ? null : r.get(0), featuresCol, row, width < 0 ? declared : width);
            if (width < 0) {
                width = v.size();
                values = new float[all.size() * width];
            }
            for (int j = 0; j < width; j++) {
                values[i * width + j] = (float) v.apply(j);
            }
            labels[i] = FrameColumns.label(r.isNullAt(1) ? null : ((Number) r.get(1)).doubleValue(), labelCol, row);
        }
        return DataBlock.ofValues(first, all.size(), Math.max(width, 0), values, labels);
    }
}
