package org.ffspark.run;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.ffspark.FfsparkException;
import org.ffspark.data.DatasetFingerprint;
import org.ffspark.train.FrameBlocks;
import org.ffspark.train.TrainingConfig;
import org.ffspark.train.TrainingData;

/**
 * A run's data that Spark reads as DataFrames ({@code dataFormat=libsvm} or {@code parquet}): the
 * training and test sets checked row by row and cached as blocks, the test set as wide as the training
 * set.
 */
final class FramePreparation {
    private FramePreparation() {
    }

    static PreparedData prepare(JavaSparkContext sc, TrainingConfig config) {
        TrainingConfig.DataSelection selection = config.data();
        TrainingConfig.FrameSource source = selection.frame();
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        Dataset<Row> trainFrame = limited(read(spark, source, selection.directory(), -1), selection.trainLimit(),
                "trainLimit", selection.directory(), config.seed());
        FrameBlocks.Blocks train = FrameBlocks.of(trainFrame, source.featuresCol(), source.labelCol(),
                selection.partitions() > 0 ? selection.partitions() : sc.defaultParallelism());
        Dataset<Row> testFrame = limited(read(spark, source, source.test(), train.features()), selection.testLimit(),
                "testLimit", source.test(), config.seed());
        FrameBlocks.Blocks test = FrameBlocks.of(testFrame, source.featuresCol(), source.labelCol(), 0);
        if (test.features() != train.features()) {
            throw new FfsparkException("testData " + source.test() + " has " + test.features() + " features, the "
                    + "training set " + train.features());
        }
        int classes = Math.max(train.classes(), test.classes());
        int accuracyImages = Math.min(selection.trainAccuracyImages(), train.count());
        TrainingData blocks = new TrainingData(train.blocks(), train.count(),
                FrameBlocks.head(train.blocks(), accuracyImages).cache(), test.blocks(), test.count());
        Map<String, String> sha256 = new LinkedHashMap<>();
        sha256.put("train", DatasetFingerprint.of(selection.directory(), sc.hadoopConfiguration()));
        sha256.put("test", DatasetFingerprint.of(source.test(), sc.hadoopConfiguration()));
        return new PreparedData(blocks, train.features(), classes, sha256, null);
    }

    /** A LIBSVM or Parquet dataset; LIBSVM's test set is read as wide as the training set ({@code width}). */
    private static Dataset<Row> read(SparkSession spark, TrainingConfig.FrameSource source, String path, int width) {
        try {
            return source.format().equals("libsvm")
                    ? (width > 0 ? spark.read().format("libsvm").option("numFeatures", width)
                            : spark.read().format("libsvm")).load(path)
                    : spark.read().parquet(path);
        } catch (Exception e) { // Spark's AnalysisException for a missing path, a checked one thrown undeclared
            throw new FfsparkException("cannot read " + source.format() + " data " + path + ": "
                    + FfsparkException.firstLine(e), e);
        }
    }

    /** The frame's seeded random subset of {@code limit} rows (0: all of it). */
    private static Dataset<Row> limited(Dataset<Row> frame, int limit, String key, String path, long seed) {
        if (limit == 0) {
            return frame;
        }
        long count = frame.count();
        if (limit > count) {
            throw new FfsparkException(key + " " + limit + " is larger than the " + count + " rows of " + path);
        }
        return frame.orderBy(functions.rand(seed)).limit(limit);
    }
}
