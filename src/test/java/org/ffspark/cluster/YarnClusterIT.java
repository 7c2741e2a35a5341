package org.ffspark.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileSystem;
import org.ffspark.model.FFNetwork;
import org.ffspark.store.ModelFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job on YARN and HDFS (Hadoop's mini clusters on 127.0.0.1, two NodeManagers), submitted through
 * submit/yarn.sh exactly as the README's YARN recipe does: MNIST read from hdfs://, everything written
 * to hdfs://, the driver on the cluster or here, and the model the same as local[2]'s, also when an
 * executor's container is killed mid-run.
 */
class YarnClusterIT {
    @TempDir
    static Path tmp;
    private static YarnHdfsCluster cluster;
    private static FileSystem hdfs;
    private static FFNetwork local;

    @BeforeAll
    static void startClustersAndTrainLocally() throws Exception {
        local = Submit.smallRunInLocalMode(tmp);

        cluster = YarnHdfsCluster.start(tmp.resolve("yarn"), 2);
        hdfs = cluster.hdfs();
        hdfs.copyFromLocalFile(new org.apache.hadoop.fs.Path(StandaloneCluster.PROJECT.resolve("data/mnist").toUri()),
                new org.apache.hadoop.fs.Path("/datasets/mnist"));
    }

    @AfterAll
    static void stopClusters() throws Exception {
        if (hdfs != null) {
            hdfs.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** submit/yarn.sh's environment: the README's recipe, sized for two small NodeManagers. */
    private static Submit yarn(String deployMode) {
        return new Submit(tmp, Map.of("HADOOP_CONF_DIR", cluster.confDir().toString(), "SPARK_LOCAL_IP", "127.0.0.1",
                "FFSPARK_DEPLOY_MODE", deployMode, "FFSPARK_DRIVER_MEMORY", "1g",
                "FFSPARK_SUBMIT_ARGS", "--num-executors 2 --executor-cores 1 --executor-memory 1g"));
    }

    private static FFNetwork modelOnHdfs(String out) throws Exception {
        try (InputStream in = hdfs.open(new org.apache.hadoop.fs.Path(out, "model.ffm"))) {
            return ModelFile.read(in, out).network();
        }
    }

    @Test
    void clusterModeTrainsOnHdfsDataTheSameModelAsLocalMode() throws Exception {
        Submit.Outcome outcome = yarn("cluster").run("yarn.sh", Submit.smallRun("data=hdfs:///datasets/mnist",
                "out=hdfs:///runs/cluster-mode"));
        assertEquals(0, outcome.exitCode(), outcome.stderr());
        assertTrue(outcome.stderr().contains("final status: SUCCEEDED"), outcome.stderr());
        assertTrue(hdfs.exists(new org.apache.hadoop.fs.Path("/runs/cluster-mode/_SUCCESS")));
        assertTrue(hdfs.exists(new org.apache.hadoop.fs.Path("/runs/cluster-mode/report/index.html")));
        assertEquals(local, modelOnHdfs("/runs/cluster-mode"));
    }

    @Test
    void clientModeTrainsTheSameModelAndSaysWhereItWrote() throws Exception {
        Submit.Outcome outcome = yarn("client").run("yarn.sh", Submit.smallRun("data=hdfs:///datasets/mnist",
                "out=hdfs:///runs/client-mode"));
        assertEquals(0, outcome.exitCode(), outcome.stderr());
        assertTrue(outcome.stdout().contains("Spark 4.2.0 yarn"), outcome.stdout());
        assertTrue(outcome.stdout().contains("wrote " + hdfs.getUri() + "/runs/client-mode/metrics.jsonl"), outcome.stdout());
        assertEquals(local, modelOnHdfs("/runs/client-mode"));
    }

    @Test
    void anExecutorContainerKilledMidRunChangesNothing() throws Exception {
        Submit.Running running = yarn("client").start("yarn.sh", Submit.smallRun("data=hdfs:///datasets/mnist",
                "out=hdfs:///runs/container-killed"));
        org.apache.hadoop.fs.Path metrics = new org.apache.hadoop.fs.Path("/runs/container-killed/metrics.jsonl");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!hdfs.exists(metrics) && running.process().isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        List<Long> executors = cluster.executorPids();
        assertFalse(executors.isEmpty(), "executors run in YARN containers");
        ProcessHandle.of(executors.get(0)).ifPresent(ProcessHandle::destroyForcibly);
        Submit.Outcome outcome = running.await();
        assertEquals(0, outcome.exitCode(), outcome.stderr());
        assertTrue(outcome.stderr().contains("Lost executor"), "Spark noticed the loss: " + outcome.stderr());
        assertEquals(local, modelOnHdfs("/runs/container-killed"));
    }
}
