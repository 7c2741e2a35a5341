package org.ffspark.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real Spark standalone cluster on 127.0.0.1 for tests: a Master and two Workers, each its own JVM
 * started from the project's jars ({@code target/jars}), executors in JVMs of their own. Every process
 * it starts (and their children, the executors) is stopped by {@link #close()}.
 */
public final class StandaloneCluster implements AutoCloseable {
    public static final Path PROJECT = Path.of(System.getProperty("ffspark.projectDir", ".")).toAbsolutePath();

    private final Path home;
    private final List<Process> processes = new ArrayList<>();
    private final int port;
    private final int uiPort;

    private StandaloneCluster(Path home, int port, int uiPort) {
        this.home = home;
        this.port = port;
        this.uiPort = uiPort;
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Starts the Master and {@code workers} Workers (one core, 1 GiB each) and waits until all are alive. */
    public static StandaloneCluster start(Path dir, int workers) throws Exception {
        Path home = Files.createDirectories(dir.resolve("spark-home"));
        Files.createSymbolicLink(home.resolve("jars"), PROJECT.resolve("target/jars"));
        StandaloneCluster cluster = new StandaloneCluster(home, freePort(), freePort());
        try {
            cluster.launch(dir.resolve("master.log"), "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", Integer.toString(cluster.port), "--webui-port", Integer.toString(cluster.uiPort));
            for (int w = 1; w <= workers; w++) {
                Path work = Files.createDirectories(dir.resolve("worker-" + w));
                cluster.launch(dir.resolve("worker-" + w + ".log"), "org.apache.spark.deploy.worker.Worker",
                        "--host", "127.0.0.1", "--cores", "1", "--memory", "1g", "--webui-port",
                        Integer.toString(freePort()), "--work-dir", work.toString(), cluster.masterUrl());
            }
            cluster.awaitWorkers(workers, Duration.ofSeconds(90));
            return cluster;
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    public String masterUrl() {
        return "spark://127.0.0.1:" + port;
    }

    /** Environment for spark-submit and anything else talking to this cluster. */
    public Map<String, String> environment() {
        return Map.of("SPARK_LOCAL_IP", "127.0.0.1", "SPARK_SCALA_VERSION", "2.13");
    }

    private void launch(Path log, String mainClass, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", home.resolve("jars") + "/*",
                "-Dlog4j2.configurationFile=" + PROJECT.resolve("conf/log4j2.properties"), mainClass));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SPARK_HOME", home.toString());
        builder.environment().putAll(environment());
        builder.environment().put("OPENBLAS_NUM_THREADS", "1");
        processes.add(builder.start());
    }

    private void awaitWorkers(int workers, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("a cluster process exited with " + p.exitValue());
                }
            }
            try {
                last = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + uiPort + "/json/"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
                int alive = last.split("\"state\" *: *\"ALIVE\"", -1).length - 1;
                if (alive >= workers) {
                    return;
                }
            } catch (IOException e) {
                // the master is still starting
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("workers did not register in " + timeout + ": " + last);
    }

    /** PIDs of the Master and Worker JVMs. */
    public List<Long> serverPids() {
        return processes.stream().map(Process::pid).toList();
    }

    /** PIDs of the executor JVMs running now. */
    public List<Long> executorPids() {
        List<Long> pids = new ArrayList<>();
        for (Process worker : processes) {
            worker.descendants().filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
                    .forEach(p -> pids.add(p.pid()));
        }
        return pids;
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
