package org.ffspark.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.ffspark.store.ModelFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MNIST read from and results written to an S3-compatible server on 127.0.0.1 (s3proxy) through
 * s3a://, as a user runs it with conf/s3a.properties and credentials in the environment.
 */
class ObjectStorageIT {
    private static final String BUCKET = "ffspark";

    @TempDir
    static Path tmp;
    private static S3Server s3;

    @BeforeAll
    static void startServerAndUpload() throws Exception {
        s3 = S3Server.start(tmp.resolve("s3"), BUCKET);
        Path mnist = StandaloneCluster.PROJECT.resolve("data/mnist");
        try (Stream<Path> files = Files.list(mnist)) {
            s3.upload(files.filter(f -> f.toString().endsWith(".gz")).sorted().toList(), "s3a://" + BUCKET + "/mnist");
        }
    }

    @AfterAll
    static void stopServer() {
        if (s3 != null) {
            s3.close();
        }
    }

    private static Submit submit(String accessKey, String secretKey, String extraArguments) {
        Map<String, String> env = new HashMap<>();
        env.put("FFSPARK_MASTER", "local[2]");
        env.put("FFSPARK_CONF", "conf/s3a.properties conf/s3a-loopback.properties");
        env.put("FFSPARK_SUBMIT_ARGS", extraArguments);
        env.put("AWS_ACCESS_KEY_ID", accessKey);
        env.put("AWS_SECRET_ACCESS_KEY", secretKey);
        return new Submit(tmp, env);
    }

    @Test
    void trainsFromS3WritesResultsThereAndTheModelReadBackEvaluatesTheSame() throws Exception {
        Submit submit = submit(S3Server.ACCESS_KEY, S3Server.SECRET_KEY, s3.submitArguments());
        String out = "s3a://" + BUCKET + "/runs/small";
        Submit.Outcome train = submit.run("train.sh", "conf/mnist-simple.properties", "hidden=100", "epochs=2",
                "trainLimit=10000", "testLimit=500", "data=s3a://" + BUCKET + "/mnist", "out=" + out);
        assertEquals(0, train.exitCode(), train.stderr());

        byte[] summaryBytes = s3.read(out + "/summary.json");
        double accuracy = new ObjectMapper().readTree(summaryBytes).get("testAccuracy").asDouble();
        assertTrue(accuracy > 0.5, "accuracy " + accuracy);
        assertEquals(2, new String(s3.read(out + "/metrics.jsonl"), StandardCharsets.UTF_8).strip().split("\n").length);
        byte[] model = s3.read(out + "/model.ffm");
        ModelFile.read(new ByteArrayInputStream(model), "model.ffm");
        assertEquals(0, s3.read(out + "/_SUCCESS").length);

        Submit.Outcome evaluate = submit.run("evaluate.sh", out + "/model.ffm", "s3a://" + BUCKET + "/mnist", "limit=500");
        assertEquals(0, evaluate.exitCode(), evaluate.stderr());
        assertTrue(evaluate.stdout().contains(String.format(Locale.ROOT, "accuracy %.2f%%", 100 * accuracy)),
                evaluate.stdout());

        // The secret key appears nowhere: not in what the commands printed, not in the outputs.
        for (String text : List.of(train.stdout(), train.stderr(), evaluate.stdout(), evaluate.stderr(),
                new String(summaryBytes, StandardCharsets.UTF_8), new String(model, StandardCharsets.ISO_8859_1))) {
            assertFalse(text.contains(S3Server.SECRET_KEY), "the secret key leaked");
        }
        try (Stream<Path> stored = Files.walk(s3.store())) {
            for (Path p : stored.filter(Files::isRegularFile).toList()) {
                if (!p.toString().endsWith(".gz") && !p.toString().endsWith(".ffm") && !p.toString().endsWith(".ffc")) {
                    assertFalse(Files.readString(p, StandardCharsets.ISO_8859_1).contains(S3Server.SECRET_KEY), p.toString());
                }
            }
        }
    }

    @Test
    void wrongCredentialsFailFastWithOneLine() throws Exception {
        long started = System.nanoTime();
        Submit.Outcome outcome = submit(S3Server.ACCESS_KEY, "not-the-secret", s3.submitArguments())
                .run("train.sh", "data=s3a://" + BUCKET + "/mnist", "out=s3a://" + BUCKET + "/runs/denied");
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(2, outcome.exitCode(), outcome.stderr());
        assertTrue(outcome.lastErrorLine().startsWith("ffspark: error: "), outcome.stderr());
        assertTrue(outcome.lastErrorLine().contains("s3a://" + BUCKET + "/mnist"), outcome.lastErrorLine());
        assertTrue(seconds < 90, "docs/deployment.md: within a minute (and a half, on a busy machine); took "
                + seconds + " s");
    }

    @Test
    void unreachableEndpointFailsFastWithOneLine() throws Exception {
        int closed = StandaloneCluster.freePort();
        long started = System.nanoTime();
        Submit.Outcome outcome = submit(S3Server.ACCESS_KEY, S3Server.SECRET_KEY,
                "--conf spark.hadoop.fs.s3a.endpoint=http://127.0.0.1:" + closed)
                .run("train.sh", "data=s3a://" + BUCKET + "/mnist", "out=s3a://" + BUCKET + "/runs/nowhere");
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(2, outcome.exitCode(), outcome.stderr());
        assertTrue(outcome.lastErrorLine().startsWith("ffspark: error: "), outcome.stderr());
        assertTrue(seconds < 90, "docs/deployment.md: within a minute (and a half, on a busy machine); took "
                + seconds + " s");
    }

    /**
     * An endpoint that accepts connections and never answers: conf/s3a.properties's read timeout (15 s)
     * and retries end it within the two minutes docs/deployment.md promises.
     */
    @Test
    void silentEndpointFailsWithinTheDocumentedTime() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            long started = System.nanoTime();
            Submit.Outcome outcome = submit(S3Server.ACCESS_KEY, S3Server.SECRET_KEY,
                    "--conf spark.hadoop.fs.s3a.endpoint=http://127.0.0.1:" + silent.getLocalPort())
                    .run("train.sh", "data=s3a://" + BUCKET + "/mnist", "out=" + tmp.resolve("silent"));
            double seconds = (System.nanoTime() - started) / 1e9;
            assertEquals(2, outcome.exitCode(), outcome.stderr());
            assertTrue(outcome.lastErrorLine().startsWith("ffspark: error: "), outcome.stderr());
            assertTrue(outcome.lastErrorLine().contains("Read timed out"), outcome.lastErrorLine());
            assertFalse(held.isEmpty(), "the silent endpoint was tried");
            assertTrue(seconds < 180, "docs/deployment.md: within two minutes (and a half again, on a busy "
                    + "machine); took " + seconds + " s");
            assertFalse(outcome.stderr().contains("too low"), "every timeout as configured: " + outcome.stderr());
            for (java.net.Socket socket : held) {
                socket.close();
            }
        }
    }
}
