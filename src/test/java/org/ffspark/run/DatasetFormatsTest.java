package org.ffspark.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.ffspark.config.ConfigKey;
import org.ffspark.config.Settings;
import org.ffspark.model.FFNetwork;
import org.ffspark.report.RunSummary;
import org.ffspark.train.LocalSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data other than MNIST through the command line: a LIBSVM file and a Parquet dataset of three classes. */
class DatasetFormatsTest {
    @TempDir
    Path tmp;

    /** Three Gaussian clusters in 20 dimensions as LIBSVM lines (1-based indices, labels 0..2). */
    static List<String> clusters(int n, long seed) {
        SplittableRandom fixed = new SplittableRandom(5);
        double[][] centres = new double[3][20];
        for (double[] c : centres) {
            for (int j = 0; j < c.length; j++) {
                c[j] = fixed.nextDouble() * 6 - 3;
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int label = i % 3;
            StringBuilder line = new StringBuilder(Integer.toString(label));
            for (int j = 0; j < 20; j++) {
                line.append(String.format(Locale.ROOT, " %d:%.4f", j + 1, centres[label][j] + random.nextGaussian()));
            }
            lines.add(line.toString());
        }
        return lines;
    }

    private RunSummary train(String... arguments) {
        return new TrainingRun(LocalSpark.context(), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8)).run(Settings.parse(null, List.of(arguments), ConfigKey.TRAINING));
    }

    private static FFNetwork model(Path out) {
        return SavedModels.read(out.toString(), LocalSpark.context().hadoopConfiguration()).network();
    }

    @Test
    void aLibsvmTrainingAndTestSetTrainAThreeClassNetwork() throws Exception {
        Path train = Files.write(tmp.resolve("train.libsvm"), clusters(1200, 1));
        Path test = Files.write(tmp.resolve("test.libsvm"), clusters(300, 2));
        Path out = tmp.resolve("run");
        RunSummary summary = train("dataFormat=libsvm", "data=" + train, "testData=" + test, "hidden=30,20",
                "epochs=20", "lr=0.03", "partitions=2", "out=" + out);
        assertTrue(summary.testAccuracy() >= 0.9, "test accuracy " + summary.testAccuracy());
        assertEquals(1200, summary.trainImages());
        assertEquals(300, summary.testImages());
        assertEquals(3, summary.confusionMatrix().length, "three classes");
        FFNetwork net = model(out);
        assertEquals(20, net.inputSize());
        assertEquals(3, net.classes());
        assertEquals(64, summary.dataSha256().get("train").length(), "a fingerprint of the dataset's files");
        try (var files = Files.list(out.resolve("report"))) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().equals("test-images.png")),
                    "no digits to draw for vectors that are not images");
        }
    }

    /** {@code clusters(n, seed)} written as a Parquet dataset with columns x and y, in {@code files} files. */
    private String parquet(String name, int n, long seed, int files) throws Exception {
        var spark = org.apache.spark.sql.SparkSession.builder().sparkContext(LocalSpark.context().sc()).getOrCreate();
        Path libsvm = Files.write(tmp.resolve(name + ".libsvm"), clusters(n, seed));
        String parquet = tmp.resolve(name + ".parquet").toString();
        spark.read().format("libsvm").load(libsvm.toString()).withColumnRenamed("features", "x")
                .withColumnRenamed("label", "y").repartition(files).write().parquet(parquet);
        return parquet;
    }

    @Test
    void aParquetDatasetWithItsOwnColumnNamesTrainsAndItsLimitsApply() throws Exception {
        String train = parquet("train", 900, 3, 1);
        String test = parquet("test", 300, 4, 1);
        RunSummary summary = train("dataFormat=parquet", "data=" + train, "testData=" + test, "featuresCol=x",
                "labelCol=y", "trainLimit=600", "testLimit=200", "hidden=20", "epochs=20", "lr=0.03",
                "out=" + tmp.resolve("run"));
        assertEquals(600, summary.trainImages());
        assertEquals(200, summary.testImages());
        assertTrue(summary.testAccuracy() >= 0.85, "test accuracy " + summary.testAccuracy());
    }

    @Test
    void aSubsetIsTheSameHoweverSparkSplitsTheFiles() throws Exception {
        String data = parquet("split", 900, 5, 3);
        String test = parquet("held", 200, 6, 1);
        var spark = org.apache.spark.sql.SparkSession.builder().sparkContext(LocalSpark.context().sc()).getOrCreate();
        String[] arguments = {"dataFormat=parquet", "data=" + data, "testData=" + test, "featuresCol=x", "labelCol=y",
            "trainLimit=500", "hidden=10", "epochs=2", "partitions=2"};
        List<String> whole = new ArrayList<>(List.of(arguments));
        whole.add("out=" + tmp.resolve("whole"));
        train(whole.toArray(String[]::new));
        String before = spark.conf().get("spark.sql.files.maxPartitionBytes");
        spark.conf().set("spark.sql.files.maxPartitionBytes", "2048"); // many small splits, as many cores make
        try {
            List<String> split = new ArrayList<>(List.of(arguments));
            split.add("out=" + tmp.resolve("split"));
            train(split.toArray(String[]::new));
        } finally {
            spark.conf().set("spark.sql.files.maxPartitionBytes", before);
        }
        assertEquals(model(tmp.resolve("whole")), model(tmp.resolve("split")), "the same rows, the same model");
    }

    @Test
    void aMalformedLibsvmLineIsNamedByFileAndLineNumber() throws Exception {
        List<String> lines = new ArrayList<>(clusters(30, 7));
        lines.add(3, "# a comment line");
        lines.add(4, "");
        lines.set(9, "1 1:0.5 3:0.25 2:1.0");
        Path bad = Files.write(tmp.resolve("bad.libsvm"), lines);
        String message = org.junit.jupiter.api.Assertions.assertThrows(org.ffspark.FfsparkException.class,
                () -> train("dataFormat=libsvm", "data=" + bad, "testData=" + bad, "hidden=5", "epochs=1",
                        "out=" + tmp.resolve("bad"))).getMessage();
        assertEquals(bad.toUri().toString().replace("file:///", "file:/") + " line 10: index 2 follows 3 (indices "
                + "must rise along a line)", message);
        lines.set(9, "1 1:0.5 2:x");
        Files.write(bad, lines);
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(org.ffspark.FfsparkException.class,
                () -> train("dataFormat=libsvm", "data=" + bad, "testData=" + bad, "hidden=5", "epochs=1",
                        "out=" + tmp.resolve("bad2"))).getMessage().endsWith(" line 10: the value of index 2 'x' is not "
                        + "a number"));
    }
}
