package org.ffspark.cluster;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;

/**
 * A YARN ResourceManager with NodeManagers and an HDFS NameNode with a DataNode, all on 127.0.0.1, in a
 * JVM of their own (Hadoop's mini clusters: only Hadoop's shaded jars on its class path, so nothing of
 * Spark's can clash with them). It writes a Hadoop configuration folder ({@code HADOOP_CONF_DIR} for
 * clients) and stops when the test closes it. Containers run as child processes of that JVM.
 */
public final class YarnHdfsCluster implements AutoCloseable {
    private static final String READY = "yarn-hdfs-cluster ready";

    private final Process process;
    private final Path confDir;

    private YarnHdfsCluster(Process process, Path confDir) {
        this.process = process;
        this.confDir = confDir;
    }

    /**
     * Starts the clusters under {@code dir} with {@code nodeManagers} NodeManagers (6 GiB and 2 cores each)
     * and waits until they serve.
     */
    public static YarnHdfsCluster start(Path dir, int nodeManagers) throws Exception {
        Path confDir = Files.createDirectories(dir.resolve("hadoop-conf"));
        List<String> classPath = new ArrayList<>();
        classPath.add(Path.of(YarnHdfsCluster.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (name.startsWith("hadoop-client-") || name.startsWith("slf4j-") || name.startsWith("jcl-over-slf4j") || name.startsWith("log4j-")
                    || name.startsWith("junit-") || name.startsWith("opentest4j") || name.startsWith("bc")) { // the mini clusters call JUnit's asserts
                classPath.add(entry);
            }
        }
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-Dlog4j2.configurationFile=" + StandaloneCluster.PROJECT.resolve("conf/log4j2.properties"),
                "-cp", String.join(File.pathSeparator, classPath), YarnHdfsCluster.class.getName(), confDir.toString(),
                Integer.toString(nodeManagers));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("yarn-hdfs.log").toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        builder.environment().put("OPENBLAS_NUM_THREADS", "1");
        Process process = builder.start();
        YarnHdfsCluster cluster = new YarnHdfsCluster(process, confDir);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the mini clusters exited with " + process.exitValue() + ": "
                        + Files.readString(dir.resolve("yarn-hdfs.log")));
            }
            if (Files.readString(dir.resolve("yarn-hdfs.log")).contains(READY)) {
                return cluster;
            }
            Thread.sleep(300);
        }
        cluster.close();
        throw new IllegalStateException("the mini clusters did not start in 3 minutes");
    }

    /** The folder of core-site.xml and yarn-site.xml, for HADOOP_CONF_DIR. */
    public Path confDir() {
        return confDir;
    }

    /** A client configuration of these clusters. */
    public Configuration configuration() {
        Configuration conf = new Configuration(false);
        conf.addResource(new org.apache.hadoop.fs.Path(confDir.resolve("core-site.xml").toUri()));
        conf.addResource(new org.apache.hadoop.fs.Path(confDir.resolve("yarn-site.xml").toUri()));
        return conf;
    }

    public FileSystem hdfs() throws IOException {
        return FileSystem.newInstance(configuration());
    }

    /** PIDs of the Spark executor JVMs running in YARN containers now. */
    public List<Long> executorPids() {
        return process.descendants().filter(p -> p.info().commandLine().orElse("").contains("YarnCoarseGrainedExecutorBackend"))
                .map(ProcessHandle::pid).toList();
    }

    @Override
    public void close() {
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.close();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /**
     * The clusters' own JVM: {@code CONF_DIR NODEMANAGERS [--until-killed]} starts them, writes the
     * configuration and runs until its standard input ends (or, with --until-killed, until it is
     * stopped by a signal); {@code put CONF_DIR LOCAL REMOTE} copies a local folder or file into HDFS.
     */
    public static void main(String[] args) throws Exception {
        if (args[0].equals("put")) {
            Configuration conf = new Configuration(false);
            conf.addResource(new org.apache.hadoop.fs.Path(Path.of(args[1], "core-site.xml").toUri()));
            try (FileSystem fs = FileSystem.newInstance(conf)) {
                fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(Path.of(args[2]).toAbsolutePath().toUri()),
                        new org.apache.hadoop.fs.Path(args[3]));
                System.out.println("put " + args[2] + " into " + fs.makeQualified(new org.apache.hadoop.fs.Path(args[3])));
            }
            return;
        }
        Path confDir = Path.of(args[0]);
        int nodeManagers = Integer.parseInt(args[1]);
        Configuration conf = new YarnConfiguration();
        conf.set("dfs.namenode.rpc-address", "127.0.0.1:0");
        conf.set("hadoop.security.authentication", "simple");
        // Containers are small and this machine is shared: no memory policing, no disk-full verdicts.
        conf.setInt(YarnConfiguration.YARN_MINICLUSTER_NM_PMEM_MB, 6144); // the mini cluster's own key wins
        conf.setInt(YarnConfiguration.NM_VCORES, 2);
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 128);
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_MB, 6144); // a 4 GiB driver fits
        conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
        conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
        conf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 99.9f);
        // One queue, first come first served: the capacity scheduler would want a queue file.
        conf.set(YarnConfiguration.RM_SCHEDULER,
                "org.apache.hadoop.yarn.server.resourcemanager.scheduler.fifo.FifoScheduler");
        conf.set(YarnConfiguration.RM_BIND_HOST, "127.0.0.1");
        conf.set(YarnConfiguration.NM_BIND_HOST, "127.0.0.1");
        conf.set("yarn.nodemanager.hostname", "127.0.0.1");
        conf.set("yarn.resourcemanager.hostname", "127.0.0.1");
        conf.set("yarn.nodemanager.env-whitelist", "JAVA_HOME,HADOOP_COMMON_HOME,HADOOP_HDFS_HOME,HADOOP_CONF_DIR,"
                + "HADOOP_YARN_HOME,PATH,LANG,TZ,SPARK_LOCAL_IP,OPENBLAS_NUM_THREADS");
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, Path.of("hdfs").toAbsolutePath().toString());

        MiniDFSCluster hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).nameNodeHttpPort(0).build();
        hdfs.waitActive();
        conf.set("fs.defaultFS", hdfs.getFileSystem().getUri().toString());
        MiniYARNCluster yarn = new MiniYARNCluster("ffspark", nodeManagers, 1, 1);
        yarn.init(conf);
        yarn.start();
        if (!yarn.waitForNodeManagersToConnect(60_000)) {
            throw new IllegalStateException("node managers did not connect");
        }
        // What a client (and the application's containers, which get this folder) needs: the addresses.
        Configuration core = new Configuration(false);
        core.set("fs.defaultFS", hdfs.getFileSystem().getUri().toString());
        Configuration yarnSite = new Configuration(false);
        for (String key : List.of(YarnConfiguration.RM_ADDRESS, YarnConfiguration.RM_SCHEDULER_ADDRESS,
                YarnConfiguration.RM_RESOURCE_TRACKER_ADDRESS, YarnConfiguration.RM_WEBAPP_ADDRESS,
                YarnConfiguration.RM_SCHEDULER)) {
            yarnSite.set(key, yarn.getConfig().get(key));
        }
        Files.createDirectories(confDir);
        try (OutputStream out = Files.newOutputStream(confDir.resolve("core-site.xml"))) {
            core.writeXml(out);
        }
        try (OutputStream out = Files.newOutputStream(confDir.resolve("yarn-site.xml"))) {
            yarnSite.writeXml(out);
        }
        System.out.println(READY + " " + hdfs.getFileSystem().getUri() + " rm "
                + yarn.getConfig().get(YarnConfiguration.RM_ADDRESS));
        System.out.flush();
        if (args.length > 2 && args[2].equals("--until-killed")) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                yarn.stop();
                hdfs.shutdown();
            }));
            Thread.currentThread().join();
        }
        try (BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            while (stdin.readLine() != null) {
                // runs until the test closes our standard input
            }
        }
        yarn.stop();
        hdfs.shutdown();
        System.exit(0);
    }
}
