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

    @Test
    void aParquetDatasetWithItsOwnColumnNamesTrainsAndItsLimitsApply() {
        var spark = org.apache.spark.sql.SparkSession.builder().sparkContext(LocalSpark.context().sc()).getOrCreate();
        Path libsvm = tmp.resolve("all.libsvm");
        try {
            Files.write(libsvm, clusters(900, 3));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        var frame = spark.read().format("libsvm").load(libsvm.toString())
                .withColumnRenamed("features", "x").withColumnRenamed("label", "y");
        String parquet = tmp.resolve("all.parquet").toString();
        frame.write().parquet(parquet);
        RunSummary summary = train("dataFormat=parquet", "data=" + parquet, "testData=" + parquet, "featuresCol=x",
                "labelCol=y", "trainLimit=600", "testLimit=200", "hidden=20", "epochs=20", "lr=0.03",
                "out=" + tmp.resolve("run"));
        assertEquals(600, summary.trainImages());
        assertEquals(200, summary.testImages());
        assertTrue(summary.testAccuracy() >= 0.85, "test accuracy " + summary.testAccuracy());
    }
}
