package org.ffspark.train;

import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.ffspark.data.BlockSource;
import org.ffspark.data.IdxFiles;
import org.ffspark.data.LabeledImages;

/** One {@code local[2]} Spark context per test JVM, on loopback, without a UI. */
public final class LocalSpark {
    private static JavaSparkContext context;

    private LocalSpark() {
    }

    public static synchronized JavaSparkContext context() {
        if (context == null) {
            SparkConf conf = SparkDefaults.apply(new SparkConf())
                    .setMaster("local[2]")
                    .setAppName("ffspark-tests")
                    .set("spark.ui.enabled", "false")
                    .set("spark.driver.host", "127.0.0.1")
                    .set("spark.driver.bindAddress", "127.0.0.1")
                    .set("spark.ui.showConsoleProgress", "false");
            context = JavaSparkContext.fromSparkContext(SparkSession.builder().config(conf).getOrCreate().sparkContext());
        }
        return context;
    }

    /** MNIST's training and test sets, whole. */
    public record Mnist(LabeledImages train, LabeledImages test) {
    }

    /** The committed MNIST read whole on the driver. */
    public static Mnist mnistData() {
        Configuration hadoop = new Configuration();
        IdxFiles files = IdxFiles.inDirectory(mnist().toString(), hadoop);
        return new Mnist(LabeledImages.of(IdxFiles.readImages(files.trainImages(), hadoop),
                IdxFiles.readLabels(files.trainLabels(), hadoop)), LabeledImages.of(
                IdxFiles.readImages(files.testImages(), hadoop), IdxFiles.readLabels(files.testLabels(), hadoop)));
    }

    /**
     * Cached blocks of the committed MNIST's seeded subsets, as a run with these limits, seed and
     * partitions trains on (train accuracy measured on 100 images).
     */
    public static TrainingData trainingData(int trainLimit, int testLimit, long seed, int partitions) {
        String dir = mnist().toString();
        return TrainingData.load(context(),
                new BlockSource(dir + "/train-images-idx3-ubyte.gz", dir + "/train-labels-idx1-ubyte.gz", 60000,
                        trainLimit, seed, 1, 0, 1), trainLimit,
                new BlockSource(dir + "/t10k-images-idx3-ubyte.gz", dir + "/t10k-labels-idx1-ubyte.gz", 10000,
                        testLimit, seed, 2, 0, 1), testLimit, partitions, 100);
    }

    /** The committed MNIST directory. */
    public static Path mnist() {
        return Path.of(System.getProperty("ffspark.projectDir", "."), "data", "mnist");
    }
}
