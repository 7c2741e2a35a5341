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
        Submit.Outcome train = run("train.sh", "conf/mnist-simple.properties", "hidden=30", "epochs=2",
                "trainLimit=3000", "testLimit=500", "out=" + out);
        assertEquals(0, train.exitCode(), train.stderr());
        assertTrue(train.stderr().contains("ffspark: running:") && train.stderr().contains("SparkSubmit"), train.stderr());
        assertTrue(train.stdout().contains("epoch 2/2"), train.stdout());
        assertFalse(train.stderr().contains(" INFO "), "Spark's INFO logging stays off the console");
        double accuracy = new ObjectMapper().readTree(out.resolve("summary.json").toFile()).get("testAccuracy").asDouble();
        assertEquals("JNIBLAS", new ObjectMapper().readTree(out.resolve("summary.json").toFile()).get("blas").asText(),
                "native OpenBLAS is the default (.ci/run installs it)");

        Submit.Outcome evaluate = run("evaluate.sh", out.resolve("model.ffm").toString(), "data/mnist", "limit=500");
        assertEquals(0, evaluate.exitCode(), evaluate.stderr());
        assertTrue(evaluate.stdout().contains(String.format(java.util.Locale.ROOT, "accuracy %.2f%%", 100 * accuracy)),
                evaluate.stdout());

        Path corrupt = tmp.resolve("corrupt.ffm");
        byte[] model = Files.readAllBytes(out.resolve("model.ffm"));
        Files.write(corrupt, Arrays.copyOf(model, model.length - 1000));
        Submit.Outcome refused = run("evaluate.sh", corrupt.toString(), "data/mnist");
        assertEquals(2, refused.exitCode(), refused.stderr());
        assertTrue(refused.lastErrorLine().startsWith("ffspark: error: " + corrupt + ": truncated model file"),
                refused.stderr());
    }

    @Test
    void withoutNativeBlasTheVectorisedJavaFallbackTrainsAndSaysSo() throws Exception {
        Path out = tmp.resolve("fallback");
        Submit.Outcome train = run(Map.of("JAVA_TOOL_OPTIONS", "-Ddev.ludovic.netlib.blas.nativeLib=libmissing.so.3"),
                "train.sh", "conf/mnist-simple.properties", "hidden=30", "epochs=1", "trainLimit=1000", "testLimit=200",
                "out=" + out);
        assertEquals(0, train.exitCode(), train.stderr());
        assertTrue(train.stdout().contains("BLAS VectorBLAS"), train.stdout());
        assertEquals("VectorBLAS", new ObjectMapper().readTree(out.resolve("summary.json").toFile()).get("blas").asText());
    }

    @Test
    void benchPrintsItsTablesAndEndsWithTheMachineReadableLine() throws Exception {
        Path exact = tmp.resolve("small.properties");
        Files.writeString(exact, "data = data/mnist\nhidden = 30\ntrainLimit = 1000\ntestLimit = 200\n");
        Path fast = tmp.resolve("small-fast.properties");
        Files.writeString(fast, "data = data/mnist\nhidden = 30\ntrainLimit = 1000\ntestLimit = 200\n"
                + "batchSize = 128\nlrScaling = sqrt\nsync = every:8\n");
        Submit.Outcome bench = run("bench.sh", "exact=" + exact, "fast=" + fast, "epochs=2", "scalingEpochs=1",
                "paper=false", "out=" + tmp.resolve("bench"));
        assertEquals(0, bench.exitCode(), bench.stderr());
        String[] lines = bench.stdout().strip().split("\n");
        assertTrue(lines[lines.length - 1].matches("seed_epoch_seconds=\\d+\\.\\d{3}"), bench.stdout());
        assertTrue(bench.stdout().contains("sgemm peak, one thread: "), bench.stdout());
        assertTrue(bench.stdout().contains("training throughput: 1 partition "), bench.stdout());
        assertEquals(2 + 2 + 1 + 1, bench.stdout().lines().filter(l -> l.matches("\\s+\\d+\\s+\\d.*%")).count(),
                "one row per epoch: 2 exact, 2 fast, 1 + 1 for the partitions comparison\n" + bench.stdout());
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
        Submit.Outcome noSpark = run(Map.of("HADOOP_CONF_DIR", "/etc/hadoop"), "yarn.sh", "conf/mnist-simple.properties");
        assertEquals(2, noSpark.exitCode());
        assertTrue(noSpark.lastErrorLine().contains("set SPARK_HOME"), noSpark.lastErrorLine());
    }
}
