package org.ffspark.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ffspark.model.FFNetwork;
import org.ffspark.store.ModelFile;

/** Runs the submit/ scripts as a user does, for integration tests. */
public final class Submit {
    private final Path logs;
    private final Map<String, String> environment;

    public Submit(Path logs, Map<String, String> environment) {
        this.logs = logs;
        this.environment = environment;
    }

    /** A finished script: exit code and what it printed. */
    public record Outcome(int exitCode, String stdout, String stderr) {
        public String lastErrorLine() {
            String[] lines = stderr.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    /** A running script. */
    public record Running(Process process, Path stdout, Path stderr) {
        public Outcome await() throws IOException, InterruptedException {
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError("script did not finish in 10 minutes");
            }
            return new Outcome(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                    Files.readString(stderr, StandardCharsets.UTF_8));
        }
    }

    public Running start(String script, String... arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(StandaloneCluster.PROJECT.resolve("submit").resolve(script).toString());
        command.addAll(Arrays.asList(arguments));
        long id = System.nanoTime();
        Path stdout = logs.resolve(script + "-" + id + ".out");
        Path stderr = logs.resolve(script + "-" + id + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(StandaloneCluster.PROJECT.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        builder.environment().putAll(environment);
        return new Running(builder.start(), stdout, stderr);
    }

    public Outcome run(String script, String... arguments) throws IOException, InterruptedException {
        return start(script, arguments).await();
    }

    /** The small run the cluster tests train everywhere, compared with its local[2] model. */
    private static final String[] SMALL_RUN = {"conf/mnist-simple.properties", "hidden=60,30", "epochs=4",
        "trainLimit=3000", "testLimit=500", "partitions=2"};

    /** The small run's arguments followed by {@code extra}. */
    public static String[] smallRun(String... extra) {
        String[] all = Arrays.copyOf(SMALL_RUN, SMALL_RUN.length + extra.length);
        System.arraycopy(extra, 0, all, SMALL_RUN.length, extra.length);
        return all;
    }

    /** Trains the small run in local[2] into {@code folder/local}: the model every cluster run must equal. */
    public static FFNetwork smallRunInLocalMode(Path folder) throws Exception {
        // OPENBLAS_CORETYPE set as some machines set it: the launcher's environment reaches a local run but
        // not a cluster's executors (YARN keeps few variables), and the model must not depend on it.
        Outcome reference = new Submit(folder, Map.of("FFSPARK_MASTER", "local[2]", "OPENBLAS_CORETYPE", "Haswell"))
                .run("train.sh", smallRun("out=" + folder.resolve("local")));
        if (reference.exitCode() != 0) {
            throw new AssertionError("the local[2] reference run failed: " + reference.stderr());
        }
        return model(folder.resolve("local"));
    }

    /** Waits until {@code out/metrics.jsonl} holds at least {@code epochs} lines, or the process ends. */
    public static void awaitEpochs(Running running, Path out, int epochs) throws Exception {
        Path metrics = out.resolve("metrics.jsonl");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline && running.process().isAlive()) {
            if (Files.exists(metrics) && Files.readAllLines(metrics).size() >= epochs) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the run did not reach epoch " + epochs + ": " + Files.readString(running.stderr()));
    }

    public static FFNetwork model(Path out) throws IOException {
        try (InputStream in = Files.newInputStream(out.resolve("model.ffm"))) {
            return ModelFile.read(in, out.resolve("model.ffm").toString()).network();
        }
    }
}
