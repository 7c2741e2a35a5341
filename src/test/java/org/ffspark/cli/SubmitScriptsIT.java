package org.ffspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.ffspark.cluster.Submit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launch scripts as a user runs them, against the packaged application (failsafe runs this after
 * {@code package}): exit codes, one-line errors, and a small real run followed by evaluate.
 */
class SubmitScriptsIT {
    private static final Path PROJECT = Path.of(System.getProperty("ffspark.projectDir", ".")).toAbsolutePath();

    @TempDir
    Path tmp;

    private Submit.Outcome run(String script, String... arguments) throws IOException, InterruptedException {
        return run(Map.of(), script, arguments);
    }

    private Submit.Outcome run(Map<String, String> env, String script, String... arguments)
            throws IOException, InterruptedException {
        return new Submit(tmp, env).run(script, arguments);
    }

    @Test
    void badSettingExitsWithTwoAndOneLineNamingTheKey() throws Exception {
        Submit.Outcome o = run("train.sh", "conf/mnist-simple.properties", "hidden=0", "out=" + tmp.resolve("out"));
        assertEquals(2, o.exitCode(), o.stderr());
        assertEquals("ffspark: error: hidden must be comma-separated layer widths from 1 to 65536 (e.g. 500,500), "
                + "got '0' (from the command line)", o.lastErrorLine());
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void mistakesThatNeedNoSparkEndInOneLineBeforeItStarts() throws Exception {
        Path out = tmp.resolve("out");
        Submit.Outcome threads = run(Map.of("FFSPARK_MASTER", "local[2]"), "train.sh", "conf/mnist-simple.properties",
                "threads=3", "out=" + out);
        assertEquals(2, threads.exitCode(), threads.stderr());
        assertEquals("ffspark: error: threads=3 needs 3 cores a task, but local[2] has 2 cores; use threads=2 or "
                + "fewer, or give executors more cores", threads.stderr().strip());
        Submit.Outcome limit = run("train.sh", "conf/mnist-simple.properties", "trainLimit=70000", "out=" + out);
        assertEquals(2, limit.exitCode(), limit.stderr());
        assertEquals("ffspark: error: trainLimit 70000 is larger than the 60000 training images in "
                + PROJECT.resolve("data/mnist/train-images-idx3-ubyte.gz"), limit.stderr().strip());
        Files.writeString(tmp.resolve("a-file"), "x");
        Submit.Outcome file = run("train.sh", "conf/mnist-simple.properties", "out=" + tmp.resolve("a-file"));
        assertEquals(2, file.exitCode(), file.stderr());
        assertEquals("ffspark: error: out " + tmp.resolve("a-file") + " is a file, not a directory",
                file.stderr().strip());
        assertFalse(Files.exists(out));
    }

    @Test
    void theScriptsRunUnderShToo() throws Exception {
        Process sh = new ProcessBuilder("sh", "submit/train.sh", "--help").directory(PROJECT.toFile())
                .redirectErrorStream(true).start();
        String printed = new String(sh.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, sh.waitFor(), printed);
        assertTrue(printed.startsWith("usage: submit/train.sh"), printed);
    }

    @Test
    void missingDataDirectoryAndTruncatedFileAreNamed() throws Exception {
        Submit.Outcome missing = run("train.sh", "data=" + tmp.resolve("nowhere"), "out=" + tmp.resolve("out"));
        assertEquals(2, missing.exitCode(), missing.stderr());
        assertTrue(missing.lastErrorLine().startsWith("ffspark: error: data directory not found:"), missing.stderr());

        Path data = Files.createDirectories(tmp.resolve("data"));
        for (String name : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            Files.copy(PROJECT.resolve("data/mnist").resolve(name), data.resolve(name));
        }
        byte[] labels = Files.readAllBytes(data.resolve("t10k-labels-idx1-ubyte.gz"));
        Files.write(data.resolve("t10k-labels-idx1-ubyte.gz"), Arrays.copyOf(labels, labels.length / 2));
        Submit.Outcome truncated = run("train.sh", "data=" + data, "out=" + tmp.resolve("out"));
        assertEquals(2, truncated.exitCode(), truncated.stderr());
        assertTrue(truncated.lastErrorLine().startsWith("ffspark: error: ")
                && truncated.lastErrorLine().contains("t10k-labels-idx1-ubyte.gz: truncated gzip stream"),
                truncated.stderr());
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void smallRunThenEvaluateAgreeAndACorruptModelIsRefused() throws Exception {
        Path out = tmp.resolve("run");
        Submit.Outcome train = run(Map.of("TMPDIR", tmp.toString()), "train.sh", "conf/mnist-simple.properties",
                "hidden=30", "epochs=2", "trainLimit=3000", "testLimit=500", "out=" + out);
        assertEquals(0, train.exitCode(), train.stderr());
        assertFalse(train.stderr().contains("ffspark: running:"), "the spark-submit line only when verbose");
        assertFalse(train.stderr().contains("Using incubator modules"), train.stderr());
        assertTrue(train.stdout().startsWith("ffspark 0.1.0 | Spark"), "the first line is ffspark's: " + train.stdout());
        try (var left = Files.list(tmp)) {
            assertEquals(List.of(), left.map(Path::getFileName).map(Path::toString)
                    .filter(n -> n.startsWith("ffspark-submit")).toList(), "no temporary properties file is left");
        }
        assertTrue(train.stdout().contains("epoch 2/2"), train.stdout());
        assertFalse(train.stderr().contains(" INFO "), "Spark's INFO logging stays off the console");
        double accuracy = new ObjectMapper().readTree(out.resolve("summary.json").toFile()).get("testAccuracy").asDouble();
        String blas = new ObjectMapper().readTree(out.resolve("summary.json").toFile()).get("blas").asText();
        assertTrue(blas.startsWith("bundled OpenBLAS 0.3.31 /") && blas.contains("libopenblas.so.0, ")
                && blas.endsWith(" kernels, 1 thread"), "the OpenBLAS inside ffspark, by its file: " + blas);
        assertTrue(train.stdout().contains("| BLAS " + blas + " |"), train.stdout());
        assertTrue(train.stdout().contains("| sums Vector API"), train.stdout());
        assertEquals("Vector API", new ObjectMapper().readTree(out.resolve("summary.json").toFile()).get("sums").asText(),
                "the launcher adds jdk.incubator.vector, so the goodness sums run eight wide");

        long written = Files.getLastModifiedTime(out.resolve("summary.json")).toMillis();
        Submit.Outcome again = run("train.sh", "conf/mnist-simple.properties", "hidden=30", "epochs=2",
                "trainLimit=3000", "testLimit=500", "out=" + out, "resume=true");
        assertEquals(0, again.exitCode(), again.stderr());
        assertEquals("nothing to do: " + out + " holds this run, finished after 2 epochs (raise epochs to train on, "
                + "or set overwrite=true to start again)\n", again.stdout());
        assertEquals(written, Files.getLastModifiedTime(out.resolve("summary.json")).toMillis(), "nothing rewritten");
        Submit.Outcome otherRate = run("train.sh", "conf/mnist-simple.properties", "hidden=30", "epochs=3",
                "trainLimit=3000", "testLimit=500", "out=" + out, "resume=true", "lr=0.01");
        assertEquals(2, otherRate.exitCode(), otherRate.stderr());
        assertEquals(1, otherRate.stderr().strip().lines().count(), "checked before Spark starts: " + otherRate.stderr());
        assertTrue(otherRate.lastErrorLine().contains("it was written with lr=0.03, this run has 0.01"),
                otherRate.stderr());

        Path checkpoint = out.resolve("checkpoints/epoch-0002.ffc");
        Submit.Outcome ofCheckpoint = run("evaluate.sh", checkpoint.toString(), "data/mnist", "limit=500");
        assertEquals(0, ofCheckpoint.exitCode(), "a checkpoint holds the network too: " + ofCheckpoint.stderr());
        assertTrue(ofCheckpoint.stdout().contains(String.format(java.util.Locale.ROOT, "accuracy %.2f%%",
                100 * accuracy)), ofCheckpoint.stdout());

        Submit.Outcome evaluate = run("evaluate.sh", out.toString(), "data/mnist", "limit=500");
        assertEquals(0, evaluate.exitCode(), "a run's folder stands for its model: " + evaluate.stderr());
        assertTrue(evaluate.stdout().contains(String.format(java.util.Locale.ROOT, "accuracy %.2f%%", 100 * accuracy)),
                evaluate.stdout());

        predictWritesCsvAndParquetForIdxAndPngInput(out.resolve("model.ffm"));

        Path corrupt = tmp.resolve("corrupt.ffm");
        byte[] model = Files.readAllBytes(out.resolve("model.ffm"));
        Files.write(corrupt, Arrays.copyOf(model, model.length - 1000));
        Submit.Outcome refused = run("evaluate.sh", corrupt.toString(), "data/mnist");
        assertEquals(2, refused.exitCode(), refused.stderr());
        assertTrue(refused.lastErrorLine().startsWith("ffspark: error: " + corrupt + ": truncated model file"),
                refused.stderr());
    }

    /** predict.sh on the test IDX file (CSV, with labels) agrees with evaluate.sh; PNGs predict as their IDX rows. */
    private void predictWritesCsvAndParquetForIdxAndPngInput(Path model) throws Exception {
        Submit.Outcome evaluate = run("evaluate.sh", model.toString(), "data/mnist");
        assertEquals(0, evaluate.exitCode(), evaluate.stderr());
        String accuracyLine = evaluate.stdout().lines().filter(l -> l.startsWith("accuracy ")).findFirst().orElseThrow();

        Path csv = tmp.resolve("predictions/t10k.csv");
        Submit.Outcome predict = run("predict.sh", model.toString(), "data/mnist/t10k-images-idx3-ubyte.gz",
                csv.toString(), "labels=data/mnist/t10k-labels-idx1-ubyte.gz");
        assertEquals(0, predict.exitCode(), predict.stderr());
        assertTrue(predict.stdout().contains(accuracyLine + " against"), predict.stdout() + "\n" + accuracyLine);
        List<String> rows = Files.readAllLines(csv);
        assertEquals(10_001, rows.size());
        assertEquals("image,prediction,label,goodness_0", rows.get(0).substring(0, 33));
        assertEquals(13, rows.get(1).split(",").length);

        // The first five test digits as PNGs, MNIST's way (light on dark) and inverted (dark on light).
        org.ffspark.data.ImageSet images = org.ffspark.data.IdxFiles.readImages(
                PROJECT.resolve("data/mnist/t10k-images-idx3-ubyte.gz").toString(), new org.apache.hadoop.conf.Configuration());
        Path light = Files.createDirectories(tmp.resolve("png-light"));
        Path dark = Files.createDirectories(tmp.resolve("png-dark"));
        for (int i = 0; i < 5; i++) {
            java.awt.image.BufferedImage a = new java.awt.image.BufferedImage(28, 28, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
            java.awt.image.BufferedImage b = new java.awt.image.BufferedImage(28, 28, java.awt.image.BufferedImage.TYPE_INT_RGB);
            for (int p = 0; p < 784; p++) {
                int v = images.pixels()[i * 784 + p] & 0xFF;
                a.getRaster().setSample(p % 28, p / 28, 0, v);
                int w = 255 - v;
                b.setRGB(p % 28, p / 28, (w << 16) | (w << 8) | w);
            }
            javax.imageio.ImageIO.write(a, "png", light.resolve("digit-" + i + ".png").toFile());
            javax.imageio.ImageIO.write(b, "png", dark.resolve("digit-" + i + ".png").toFile());
        }
        Path lightCsv = tmp.resolve("light.csv");
        assertEquals(0, run("predict.sh", model.toString(), light.toString(), lightCsv.toString()).exitCode());
        Submit.Outcome unwarned = run("predict.sh", model.toString(), dark.toString(), tmp.resolve("d.csv").toString());
        assertEquals(0, unwarned.exitCode(), unwarned.stderr());
        assertTrue(unwarned.stderr().contains("ffspark: warning: most pixels of " + dark + " are light"),
                "dark digits on white without invert=true are pointed out: " + unwarned.stderr());
        Path darkParquet = tmp.resolve("dark.parquet");
        Submit.Outcome parquet = run("predict.sh", model.toString(), dark.toString(), darkParquet.toString(), "invert=true");
        assertEquals(0, parquet.exitCode(), parquet.stderr());
        assertTrue(Files.exists(darkParquet.resolve("_SUCCESS")), "a complete Parquet dataset");
        assertTrue(parquet.stdout().contains("(parquet)"), parquet.stdout());
        List<String> fromPng = Files.readAllLines(lightCsv);
        assertEquals(6, fromPng.size());
        for (int i = 0; i < 5; i++) {
            String[] png = fromPng.get(i + 1).split(",");
            String[] idx = rows.get(i + 1).split(",");
            assertEquals("digit-" + i + ".png", png[0]);
            assertEquals(idx[1], png[1], "PNG " + i + " predicts as IDX row " + i);
            // The same sums, but the pixel product of 5 images and of a 128-image chunk may round
            // differently in the last bit (BLAS blocks the product by its size).
            float idxGoodness = Float.parseFloat(idx[3]);
            assertEquals(idxGoodness, Float.parseFloat(png[2]), Math.abs(idxGoodness) * 1e-5f, "same goodness of label 0");
        }

        java.awt.image.BufferedImage small = new java.awt.image.BufferedImage(20, 20, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        javax.imageio.ImageIO.write(small, "png", light.resolve("zz-small.png").toFile());
        Submit.Outcome wrongSize = run("predict.sh", model.toString(), light.toString(), tmp.resolve("x.csv").toString());
        assertEquals(2, wrongSize.exitCode(), wrongSize.stderr());
        // Found inside a task, reported by ffspark alone: none of Spark's task failure lines.
        assertTrue(wrongSize.stderr().strip().matches("ffspark: error: \\S*zz-small.png: image is 20x20 but the model "
                + "reads 28x28 images"), wrongSize.stderr());
        Submit.Outcome exists = run("predict.sh", model.toString(), light.toString(), lightCsv.toString());
        assertEquals(2, exists.exitCode(), exists.stderr());
        assertTrue(exists.lastErrorLine().contains("already exists"), exists.stderr());
    }

    @Test
    void withoutNativeBlasTheVectorisedJavaFallbackTrainsAndSaysSo() throws Exception {
        Path out = tmp.resolve("fallback");
        Submit.Outcome train = run(Map.of("FFSPARK_BLAS", "java", "FFSPARK_VERBOSE", "1"), "train.sh",
                "conf/mnist-simple.properties", "hidden=30", "epochs=1", "trainLimit=1000", "testLimit=200",
                "out=" + out);
        assertEquals(0, train.exitCode(), train.stderr());
        assertTrue(train.stdout().contains("BLAS Java VectorBLAS (FFSPARK_BLAS=java)"), train.stdout());
        assertEquals("Java VectorBLAS (FFSPARK_BLAS=java)",
                new ObjectMapper().readTree(out.resolve("summary.json").toFile()).get("blas").asText());
        assertTrue(train.stderr().contains("ffspark: running:") && train.stderr().contains("SparkSubmit"),
                "FFSPARK_VERBOSE=1 shows the spark-submit line: " + train.stderr());
    }

    @Test
    void everyScriptAnswersHelpAndTrainWithoutArgumentsDoesNotTrain() throws Exception {
        for (String script : List.of("train.sh", "evaluate.sh", "predict.sh", "export.sh", "grid.sh", "bench.sh",
                "grid-bench.sh", "yarn.sh", "kubernetes.sh", "standalone-cluster.sh")) {
            Submit.Outcome help = run(script, "--help");
            assertEquals(0, help.exitCode(), script + ": " + help.stderr());
            assertTrue(help.stdout().contains("submit/" + script), script + ": " + help.stdout());
        }
        Submit.Outcome bare = run("train.sh");
        assertEquals(2, bare.exitCode());
        assertTrue(bare.stdout().startsWith("usage: submit/train.sh CONF_FILE"), bare.stdout());
        Submit.Outcome keys = run("train.sh", "--keys");
        assertEquals(0, keys.exitCode());
        assertTrue(keys.stdout().contains("  peerNorm             default 0; a number >= 0"), keys.stdout());
    }

    @Test
    void anExportReadsInNumpyAsTheSameWeightsAndPredictions() throws Exception {
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        Path out = tmp.resolve("run");
        assertEquals(0, run("train.sh", "hidden=40,30", "epochs=2", "trainLimit=2000", "testLimit=200", "out=" + out)
                .exitCode());
        Path weights = tmp.resolve("model.safetensors");
        Submit.Outcome export = run("export.sh", out.toString(), weights.toString());
        assertEquals(0, export.exitCode(), export.stderr());
        assertTrue(export.stdout().startsWith("wrote " + weights + ": 4 tensors of simple model"), export.stdout());
        assertEquals("", export.stderr(), "the output is ffspark's own");

        Path again = tmp.resolve("numpy.safetensors");
        Process numpy = new ProcessBuilder(python, PROJECT.resolve("src/test/resources/safetensors_numpy.py").toString(),
                weights.toString(), PROJECT.resolve("data/mnist/t10k-images-idx3-ubyte.gz").toString(), "100",
                again.toString()).redirectErrorStream(true).start();
        String printed = new String(numpy.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, numpy.waitFor(), "python3 with numpy (.ci/run installs python3-numpy): " + printed);

        Path csv = tmp.resolve("predictions.csv");
        assertEquals(0, run("predict.sh", weights.toString(), "data/mnist/t10k-images-idx3-ubyte.gz", csv.toString())
                .exitCode(), "predict reads the safetensors file");
        List<String> ours = Files.readAllLines(csv);
        List<String> theirs = printed.lines().toList();
        assertEquals(100, theirs.size(), printed);
        for (int i = 0; i < 100; i++) {
            assertEquals(ours.get(i + 1).split(",")[1], theirs.get(i).split(" ")[1], "image " + i);
        }
        org.apache.hadoop.conf.Configuration hadoop = new org.apache.hadoop.conf.Configuration();
        assertEquals(org.ffspark.run.SavedModels.read(out.toString(), hadoop).network(),
                org.ffspark.run.SavedModels.read(again.toString(), hadoop).network(),
                "the weights NumPy read and wrote back are the model's, bit for bit");
    }

    @Test
    void benchPrintsItsTablesAndEndsWithTheMachineReadableLine() throws Exception {
        // data in a properties file is read relative to that file's folder
        String data = "data = " + PROJECT.resolve("data/mnist") + "\n";
        Path exact = tmp.resolve("small.properties");
        Files.writeString(exact, data + "hidden = 30\ntrainLimit = 1000\ntestLimit = 200\n");
        Path fast = tmp.resolve("small-fast.properties");
        Files.writeString(fast, data + "hidden = 30\ntrainLimit = 1000\ntestLimit = 200\n"
                + "batchSize = 128\nlrScaling = sqrt\nsync = every:8\n");
        Path recurrent = tmp.resolve("small-recurrent.properties");
        Files.writeString(recurrent, data + "model = recurrent\nhidden = 30,20\ntrainLimit = 500\n"
                + "testLimit = 100\niterations = 4\nscoreIterations = 2-3\n");
        Submit.Outcome bench = run("bench.sh", "exact=" + exact, "fast=" + fast, "epochs=2", "fastEpochs=2", "scalingEpochs=1",
                "paper=false", "recurrent=" + recurrent, "recurrentEpochs=1", "out=" + tmp.resolve("bench"),
                "profile=" + exact, "profileSteps=3");
        assertEquals(0, bench.exitCode(), bench.stderr());
        String[] lines = bench.stdout().strip().split("\n");
        assertTrue(lines[lines.length - 1].matches("seed_epoch_seconds=\\d+\\.\\d{3}"), bench.stdout());
        // Seven tables (exact, fast, fast with random negatives, recurrent twice, partitions 1 and 2), every
        // row a number in each of its 13 columns: one row per epoch trained.
        assertEquals(8, bench.stdout().lines().filter(l -> l.startsWith("== ")).count(), bench.stdout());
        assertTrue(bench.stdout().contains("\nproduct 64x784 by 784x30  "), "the profile times each product: "
                + bench.stdout());
        assertTrue(bench.stdout().lines().anyMatch(l -> l.matches("step  1  \\d+\\.\\d\\d  100%  -  -")), bench.stdout());
        List<String[]> rows = bench.stdout().lines().filter(l -> l.matches("\\s+\\d+\\s.*"))
                .map(l -> l.trim().split("\\s+")).toList();
        assertEquals(2 + 2 + 2 + 1 + 1 + 1 + 1, rows.size(),
                "one row per epoch: 2 exact, 2 fast, 2 fast with random negatives, 1 + 1 recurrent, 1 + 1 for the partitions comparison\n"
                        + bench.stdout());
        for (String[] row : rows) {
            assertEquals(13, row.length, String.join(" ", row));
            for (String cell : row) {
                assertTrue(cell.matches("-?\\d+(\\.\\d+)?%?"), "a number: " + cell);
            }
            assertTrue(Double.parseDouble(row[1]) > 0 && Double.parseDouble(row[3]) > 0, "seconds and samples/s");
        }
        assertTrue(bench.stdout().lines().filter(l -> l.matches("broadcast per job: \\d+\\.\\d{2} MB .*")).count() >= 7,
                "every run says what each job broadcasts");

        // blas=compare: a header and one row per library; without a system OpenBLAS its row says so
        List<String> libraries = run("bench.sh", "blas=compare").stdout().strip().lines().toList();
        assertEquals(4, libraries.size(), String.join("\n", libraries));
        assertTrue(libraries.get(1).matches("bundled OpenBLAS 0\\.3\\.31 \\S+, \\w+ kernels, 1 thread\\t\\d+\\.\\d\\t\\d+\\.\\d"),
                libraries.get(1));
        assertTrue(libraries.get(2).matches("(system OpenBLAS \\S+(, \\w+ kernels, \\d+ threads?)?|Java \\S+ \\(FFSPARK_BLAS=system, "
                + "but no system OpenBLAS found\\))"
                + "\\t\\d+\\.\\d\\t\\d+\\.\\d"),
                libraries.get(2));
        assertTrue(libraries.get(3).matches("Java \\S+ \\(FFSPARK_BLAS=java\\)\\t\\d+\\.\\d\\t\\d+\\.\\d"), libraries.get(3));
    }

    @Test
    void yarnAndKubernetesRecipesSubmitInClusterModeWithTheConfigShipped() throws Exception {
        Submit.Outcome yarn = run(Map.of("FFSPARK_DRY_RUN", "1"), "yarn.sh", "conf/mnist-simple.properties",
                "data=hdfs:///mnist");
        assertEquals(0, yarn.exitCode(), yarn.stderr());
        String line = yarn.lastErrorLine();
        assertTrue(line.contains("--master yarn --name ffspark --class org.ffspark.cli.Main --deploy-mode cluster"), line);
        // the printed line is shell-quoted, so the comma between the two shipped files shows as "\,"
        assertTrue(line.contains("--files " + PROJECT.resolve("conf/log4j2.properties") + "\\,conf/mnist-simple.properties"), line);
        assertTrue(line.endsWith("ffspark-0.1.0.jar train mnist-simple.properties data=hdfs:///mnist"), line);

        Submit.Outcome k8s = run(Map.of("FFSPARK_DRY_RUN", "1", "FFSPARK_K8S_MASTER", "k8s://https://127.0.0.1:6443",
                "FFSPARK_K8S_IMAGE", "spark:4.2.0", "FFSPARK_UPLOAD_PATH", "s3a://b/up"), "kubernetes.sh",
                "conf/mnist-simple.properties");
        assertEquals(0, k8s.exitCode(), k8s.stderr());
        assertTrue(k8s.lastErrorLine().contains("--master k8s://https://127.0.0.1:6443"), k8s.lastErrorLine());
        assertTrue(k8s.lastErrorLine().contains("spark.kubernetes.container.image=spark:4.2.0"), k8s.lastErrorLine());
        assertTrue(k8s.lastErrorLine().contains("spark.kubernetes.file.upload.path=s3a://b/up"), k8s.lastErrorLine());

        Submit.Outcome missing = run("kubernetes.sh", "conf/mnist-simple.properties");
        assertEquals(2, missing.exitCode());
        assertEquals("ffspark: error: set FFSPARK_K8S_MASTER (see the comment at the top of submit/kubernetes.sh)",
                missing.lastErrorLine());
        Path emptyConf = Files.createDirectories(tmp.resolve("hadoop-conf"));
        Submit.Outcome noYarnSite = run(Map.of("HADOOP_CONF_DIR", emptyConf.toString()), "yarn.sh",
                "conf/mnist-simple.properties");
        assertEquals(2, noYarnSite.exitCode(), noYarnSite.stderr());
        assertEquals("ffspark: error: no yarn-site.xml in HADOOP_CONF_DIR or YARN_CONF_DIR (" + emptyConf + ")",
                noYarnSite.lastErrorLine());
    }
}
