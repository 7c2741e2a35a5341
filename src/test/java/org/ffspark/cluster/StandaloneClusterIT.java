package org.ffspark.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ffspark.model.FFNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job on a real standalone cluster on 127.0.0.1 (a Master, two Workers, executors in their own
 * JVMs), submitted through submit/train.sh: every server of the driver and the executors on 127.0.0.1,
 * same model as local[2], an executor killed with -9 mid-run changes nothing, a driver killed mid-run
 * resumes to the same model.
 */
class StandaloneClusterIT {
    @TempDir
    static Path tmp;
    private static StandaloneCluster cluster;
    private static Submit onCluster;
    private static FFNetwork local;

    @BeforeAll
    static void startClusterAndTrainLocally() throws Exception {
        local = Submit.smallRunInLocalMode(tmp);

        cluster = StandaloneCluster.start(tmp.resolve("cluster"), 2);
        Map<String, String> environment = new HashMap<>(cluster.environment());
        environment.put("FFSPARK_MASTER", cluster.masterUrl());
        // The README's recipe as it stands: nothing about addresses, the application UI on.
        environment.put("FFSPARK_SUBMIT_ARGS", "--executor-memory 1g --total-executor-cores 2");
        onCluster = new Submit(tmp, environment);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void clusterRunStaysOnLoopbackAndTrainsTheSameModelAsLocalMode() throws Exception {
        Path out = tmp.resolve("undisturbed");
        Submit.Running running = onCluster.start("train.sh", Submit.smallRun("out=" + out));
        Submit.awaitEpochs(running, out, 1);
        long driver = running.process().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("org.apache.spark.deploy.SparkSubmit"))
                .findFirst().orElseThrow().pid();
        List<String> sockets = ListeningSockets.of(driver);
        assertFalse(sockets.isEmpty(), "the driver listens (RPC, block manager, UI)");
        assertTrue(sockets.stream().allMatch(s -> s.startsWith("127.0.0.1:")), "driver sockets " + sockets);
        assertEquals(3, cluster.serverPids().size(), "the master and two workers");
        for (long server : cluster.serverPids()) {
            List<String> listening = ListeningSockets.of(server);
            assertFalse(listening.isEmpty(), "a server listens");
            assertTrue(listening.stream().allMatch(s -> s.startsWith("127.0.0.1:")),
                    "master and worker sockets (UIs included) " + listening);
        }
        List<Long> executors = cluster.executorPids();
        assertFalse(executors.isEmpty(), "executors run in their own JVMs");
        for (long executor : executors) {
            String command = ProcessHandle.of(executor).flatMap(p -> p.info().commandLine()).orElse("");
            assertTrue(command.contains("CoarseGrainedScheduler@127.0.0.1:"), command);
            List<String> listening = ListeningSockets.of(executor);
            assertFalse(listening.isEmpty(), "an executor listens (its block manager)");
            assertTrue(listening.stream().allMatch(s -> s.startsWith("127.0.0.1:")), "executor sockets " + listening);
        }
        Submit.Outcome outcome = running.await();
        assertEquals(0, outcome.exitCode(), outcome.stderr());
        assertTrue(outcome.stdout().contains(cluster.masterUrl()), outcome.stdout());
        assertEquals(local, Submit.model(out));
    }

    @Test
    void executorKilledMidRunChangesNothing() throws Exception {
        Path out = tmp.resolve("executor-killed");
        Submit.Running running = onCluster.start("train.sh", Submit.smallRun("out=" + out));
        Submit.awaitEpochs(running, out, 1);
        List<Long> executors = cluster.executorPids();
        assertFalse(executors.isEmpty(), "executors run in their own JVMs");
        ProcessHandle victim = ProcessHandle.of(executors.get(0)).orElseThrow();
        victim.destroyForcibly();
        victim.onExit().get(1, java.util.concurrent.TimeUnit.MINUTES);
        assertFalse(victim.isAlive(), "the executor is gone");
        // The master has the worker start another executor for the application.
        boolean replaced = false;
        for (int i = 0; i < 120 && !replaced && running.process().isAlive(); i++) {
            replaced = cluster.executorPids().stream().anyMatch(pid -> !executors.contains(pid));
            Thread.sleep(500);
        }
        Submit.Outcome outcome = running.await();
        assertEquals(0, outcome.exitCode(), outcome.stderr());
        assertTrue(replaced || outcome.stderr().contains("Lost executor"),
                "Spark noticed the loss and replaced the executor: " + outcome.stderr());
        assertEquals(local, Submit.model(out));
    }

    @Test
    void driverKilledMidRunResumesToTheSameModel() throws Exception {
        Path out = tmp.resolve("driver-killed");
        Submit.Running running = onCluster.start("train.sh", Submit.smallRun("out=" + out));
        Submit.awaitEpochs(running, out, 2);
        running.process().descendants().forEach(ProcessHandle::destroyForcibly);
        running.process().destroyForcibly();
        running.process().waitFor();
        Submit.Outcome resumed = onCluster.run("train.sh", Submit.smallRun("out=" + out, "resume=true"));
        assertEquals(0, resumed.exitCode(), resumed.stderr());
        assertTrue(resumed.stdout().contains("resuming from"), resumed.stdout());
        assertEquals(local, Submit.model(out));
    }
}
