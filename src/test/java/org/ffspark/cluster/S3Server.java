package org.ffspark.cluster;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * An S3-compatible server on 127.0.0.1 for tests: s3proxy serving a local directory (a bucket is a
 * sub-directory), in its own JVM so that its dependencies stay off Spark's classpath. Its jars are
 * resolved from Maven Central on first use ({@code src/it/s3proxy/pom.xml} into
 * {@code target/s3proxy}).
 */
public final class S3Server implements AutoCloseable {
    public static final String ACCESS_KEY = "ffspark-test";
    public static final String SECRET_KEY = "s3cr3t-b1ue-walrus-7781";

    private final Process process;
    private final int port;
    private final Path store;

    private S3Server(Process process, int port, Path store) {
        this.process = process;
        this.port = port;
        this.store = store;
    }

    public static S3Server start(Path dir, String bucket) throws Exception {
        Path jars = StandaloneCluster.PROJECT.resolve("target/s3proxy");
        if (!Files.isDirectory(jars)) {
            Process mvn = new ProcessBuilder("mvn", "-B", "-q", "-f",
                    StandaloneCluster.PROJECT.resolve("src/it/s3proxy/pom.xml").toString(),
                    "dependency:copy-dependencies", "-DoutputDirectory=" + jars).inheritIO().start();
            if (mvn.waitFor() != 0) {
                throw new IllegalStateException("could not resolve s3proxy's jars");
            }
        }
        Path store = Files.createDirectories(dir.resolve("store"));
        Files.createDirectories(store.resolve(bucket));
        int port = StandaloneCluster.freePort();
        Path properties = dir.resolve("s3proxy.properties");
        Files.writeString(properties, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + store) + "\n");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", jars + "/*", "org.gaul.s3proxy.Main", "--properties", properties.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("s3proxy.log").toFile()).start();
        S3Server server = new S3Server(process, port, store);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("s3proxy exited: " + Files.readString(dir.resolve("s3proxy.log")));
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return server;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        server.close();
        throw new IllegalStateException("s3proxy did not start listening in 60 s");
    }

    public int port() {
        return port;
    }

    /** Spark options that point s3a at this server (the credentials come from the environment). */
    public String submitArguments() {
        return "--conf spark.hadoop.fs.s3a.endpoint=http://127.0.0.1:" + port;
    }

    /** A Hadoop configuration for s3a on this server, for the test itself. */
    public Configuration hadoop() {
        Configuration conf = new Configuration();
        conf.set("fs.s3a.endpoint", "http://127.0.0.1:" + port);
        conf.set("fs.s3a.endpoint.region", "us-east-1");
        conf.set("fs.s3a.path.style.access", "true");
        conf.set("fs.s3a.connection.ssl.enabled", "false");
        conf.set("fs.s3a.access.key", ACCESS_KEY);
        conf.set("fs.s3a.secret.key", SECRET_KEY);
        conf.set("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        conf.setBoolean("fs.s3a.impl.disable.cache", true);
        return conf;
    }

    /** Uploads local files through the S3 API (so the server knows their ETags, as real S3 does). */
    public void upload(List<Path> files, String target) throws IOException {
        try (FileSystem fs = FileSystem.get(URI.create(target), hadoop())) {
            for (Path file : files) {
                fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(file.toUri()),
                        new org.apache.hadoop.fs.Path(target + "/" + file.getFileName()));
            }
        }
    }

    public byte[] read(String object) throws IOException {
        try (FileSystem fs = FileSystem.get(URI.create(object), hadoop());
             var in = fs.open(new org.apache.hadoop.fs.Path(object))) {
            return in.readAllBytes();
        }
    }

    public Path store() {
        return store;
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
