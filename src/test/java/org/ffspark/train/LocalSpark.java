package org.ffspark.train;

import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

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

    /** The committed MNIST directory. */
    public static Path mnist() {
        return Path.of(System.getProperty("ffspark.projectDir", "."), "data", "mnist");
    }
}
