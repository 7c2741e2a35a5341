package org.ffspark.ml;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.ffspark.FfsparkException;
import org.ffspark.data.DataBlock;
import org.ffspark.data.LabeledImages;

/**
 * A DataFrame's feature vectors and labels as the trainer's dense blocks, one per partition, numbered
 * consecutively across partitions so a global sample index names one row however Spark split them.
 *
 * <p>The network reads 8-bit inputs, as MNIST pixels are: a feature is a pixel scaled to [0, 1] and is
 * stored as the nearest of the 256 levels {@code k / 255} (exact for pixel / 255 data). The same
 * rounding is applied when the model predicts, so training and prediction see the same inputs.
 */
final class FeatureBlocks {
    private FeatureBlocks() {
    }

    /** The cached blocks of {@code dataset}, cut into {@code partitions} (0: as the dataset is). */
    static JavaRDD<DataBlock> of(Dataset<?> dataset, String featuresCol, String labelCol, int partitions) {
        JavaRDD<Row> rows = dataset.select(featuresCol, labelCol).toJavaRDD();
        if (partitions > 0 && rows.getNumPartitions() != partitions) {
            rows = rows.repartition(partitions);
        }
        JavaRDD<DataBlock> unnumbered = rows.mapPartitions(FeatureBlocks::block);
        unnumbered.persist(StorageLevel.MEMORY_AND_DISK());
        List<Integer> counts = unnumbered.map(DataBlock::count).collect();
        int[] offsets = new int[counts.size()];
        for (int i = 1; i < offsets.length; i++) {
            offsets[i] = offsets[i - 1] + counts.get(i - 1);
        }
        JavaRDD<DataBlock> blocks = unnumbered.mapPartitionsWithIndex((index, it) -> {
            List<DataBlock> out = new ArrayList<>(1);
            while (it.hasNext()) {
                DataBlock b = it.next();
                out.add(new DataBlock(offsets[index], b.count(), b.features(), b.pixels(), b.labels()));
            }
            return out.iterator();
        }, true).filter(b -> b.count() > 0);
        blocks.persist(StorageLevel.MEMORY_AND_DISK());
        blocks.count();
        unnumbered.unpersist(false);
        return blocks;
    }

    private static Iterator<DataBlock> block(Iterator<Row> rows) {
        List<Row> all = new ArrayList<>();
        rows.forEachRemaining(all::add);
        int features = all.isEmpty() ? 0 : ((Vector) all.get(0).get(0)).size();
        byte[] pixels = new byte[all.size() * features];
        byte[] labels = new byte[all.size()];
        for (int i = 0; i < all.size(); i++) {
            Row row = all.get(i);
            Vector v = (Vector) row.get(0);
            if (v.size() != features) {
                throw new FfsparkException("features vectors differ in size: " + features + " and " + v.size());
            }
            quantize(v, pixels, i * features);
            labels[i] = (byte) label(((Number) row.get(1)).doubleValue());
        }
        return List.of(new DataBlock(0, all.size(), features, pixels, labels)).iterator();
    }

    /** Stores {@code v} as bytes, refusing values outside [0, 1]. */
    static void quantize(Vector v, byte[] out, int offset) {
        int n = v.size();
        for (int j = 0; j < n; j++) {
            double x = v.apply(j);
            if (!(x >= 0 && x <= 1)) {
                throw new FfsparkException("feature " + j + " is " + x
                        + "; features must lie in [0, 1] (pixel / 255)");
            }
            out[offset + j] = (byte) Math.round(x * 255);
        }
    }

    static int label(double value) {
        if (value != Math.rint(value) || value < 0 || value >= LabeledImages.CLASSES) {
            throw new FfsparkException("label " + value + " is not a class index 0.."
                    + (LabeledImages.CLASSES - 1));
        }
        return (int) value;
    }

    /** The blocks' first {@code images} rows (in global order), for monitoring accuracy while training. */
    static JavaRDD<DataBlock> head(JavaRDD<DataBlock> blocks, int images) {
        return blocks.filter(b -> b.firstIndex() < images).map(b -> {
            int keep = Math.min(b.count(), images - b.firstIndex());
            if (keep == b.count()) {
                return b;
            }
            byte[] pixels = java.util.Arrays.copyOf(b.pixels(), keep * b.features());
            byte[] labels = java.util.Arrays.copyOf(b.labels(), keep);
            return new DataBlock(b.firstIndex(), keep, b.features(), pixels, labels);
        });
    }
}
