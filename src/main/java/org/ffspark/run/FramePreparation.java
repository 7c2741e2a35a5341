package org.ffspark.run;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.ffspark.FfsparkException;
import org.ffspark.data.DatasetFingerprint;
import org.ffspark.train.BlockSplits;
import org.ffspark.train.FileRows;
import org.ffspark.train.FrameBlocks;
import org.ffspark.train.TrainingConfig;
import org.ffspark.train.TrainingData;

/**
 * A run's data in LIBSVM or Parquet files ({@code dataFormat=libsvm} or {@code parquet}): the training
 * and test sets read by the executors ({@link FileRows}), checked row by row, their seeded subsets drawn
 * from the rows' places in the files, and cached as blocks; the test set as wide as the training set.
 */
final class FramePreparation {
    private FramePreparation() {
    }

    static PreparedData prepare(JavaSparkContext sc, TrainingConfig config, PrintStream console) {
        TrainingConfig.DataSelection selection = config.data();
        TrainingConfig.FrameSource source = selection.frame();
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        int partitions = selection.partitions() > 0 ? selection.partitions() : sc.defaultParallelism();
        JavaRDD<FileRows.Row> trainRows = read(sc, spark, source, selection.directory(), 0);
        FrameBlocks.Blocks train;
        try {
            train = FrameBlocks.ofFileRows(trainRows, partitions, selection.trainLimit(), config.seed(),
                    IdxPreparation.TRAIN_SUBSET_DRAWS_BEFORE, "trainLimit", selection.directory());
        } finally {
            trainRows.unpersist(false);
        }
        JavaRDD<FileRows.Row> testRows = read(sc, spark, source, source.test(), train.features());
        FrameBlocks.Blocks test;
        try {
            test = FrameBlocks.ofFileRows(testRows, Math.max(1, testRows.getNumPartitions()), selection.testLimit(),
                    config.seed(), IdxPreparation.testSubsetDrawsBefore(train.count()), "testLimit", source.test());
        } finally {
            testRows.unpersist(false);
        }
        if (test.features() != train.features()) {
            throw new FfsparkException("testData " + source.test() + " has " + test.features() + " features, the "
                    + "training set " + train.features());
        }
        if (sameData(selection.directory(), source.test(), sc)) {
            console.println("note: testData is the training data: the test accuracy is measured on training rows");
        }
        int classes = Math.max(train.classes(), test.classes());
        int accuracyImages = Math.min(selection.trainAccuracyImages(), train.count());
        TrainingData blocks = new TrainingData(train.blocks(), train.count(),
                BlockSplits.head(train.blocks(), accuracyImages).cache(), test.blocks(), test.count());
        Map<String, String> sha256 = new LinkedHashMap<>();
        sha256.put("train", DatasetFingerprint.of(selection.directory(), sc.hadoopConfiguration()));
        sha256.put("test", DatasetFingerprint.of(source.test(), sc.hadoopConfiguration()));
        return new PreparedData(blocks, train.features(), classes, sha256, sha256, null);
    }

    /** A LIBSVM or Parquet dataset's rows; LIBSVM's test set is read as wide as the training set ({@code width}). */
    private static JavaRDD<FileRows.Row> read(JavaSparkContext sc, SparkSession spark, TrainingConfig.FrameSource source,
                                              String path, int width) {
        try {
            return source.format().equals("libsvm") ? FileRows.libsvm(sc, path, width)
                    : FileRows.parquet(spark, path, source.featuresCol(), source.labelCol());
        } catch (FfsparkException e) {
            throw e;
        } catch (Exception e) { // Spark's AnalysisException for a missing path, a checked one thrown undeclared
            throw new FfsparkException("cannot read " + source.format() + " data " + path + ": "
                    + FfsparkException.firstLine(e), e);
        }
    }

    /** Whether two paths name the same data. */
    private static boolean sameData(String a, String b, JavaSparkContext sc) {
        try {
            org.apache.hadoop.fs.Path pa = new org.apache.hadoop.fs.Path(a);
            org.apache.hadoop.fs.Path pb = new org.apache.hadoop.fs.Path(b);
            return pa.getFileSystem(sc.hadoopConfiguration()).makeQualified(pa)
                    .equals(pb.getFileSystem(sc.hadoopConfiguration()).makeQualified(pb));
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
