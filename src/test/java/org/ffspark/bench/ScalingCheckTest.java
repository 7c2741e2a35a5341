package org.ffspark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.ffspark.config.ConfigKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finished runs read back as the scaling model sees them. */
class ScalingCheckTest {
    @TempDir
    Path tmp;

    @Test
    void aSummaryStoringEveryKeyReadsBackAsItsRun() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = json.createObjectNode();
        for (ConfigKey key : ConfigKey.TRAINING) {
            config.put(key.name(), key.defaultValue());
        }
        // What a summary of an averaging-rounds run stores: every key, the idle ones at their values then.
        config.put("sync", "epoch").put("outerOptimizer", "average").put("innerState", "average")
                .put("localWarmup", "0").put("hidden", "50,50").put("partitions", "2");
        ObjectNode summary = json.createObjectNode().put("master", "local[2]").put("partitions", 2)
                .put("parameters", 42_000).put("trainImages", 1000);
        summary.set("config", config);
        Files.writeString(tmp.resolve("summary.json"), json.writeValueAsString(summary));
        Files.writeString(tmp.resolve("metrics.jsonl"),
                "{\"trainSeconds\":3.0,\"kernelSeconds\":2.0,\"overheadMsPerJob\":40}\n"
                        + "{\"trainSeconds\":2.0,\"kernelSeconds\":1.5,\"overheadMsPerJob\":20}\n");
        ScalingCheck.Run run = ScalingCheck.read(tmp.toString(), new Configuration());
        assertEquals("local", run.master());
        assertEquals(2, run.executors());
        assertTrue(run.config().sync().text().equals("epoch"), run.config().sync().text());
        assertEquals(2.0, run.trainSeconds(), 1e-9, "epochs after the first");
        assertEquals(0.02, run.overheadSeconds(), 1e-9);
    }

    /**
     * o = 10 ms and beta = 100 MB/s fitted from two one-executor runs of local steps that move 8 MB and
     * 80 MB a round; a two-executor run is predicted with its own computing (here 1.5 times slower than
     * half the one-executor run's, as two executors sharing a machine are) plus its rounds.
     */
    @Test
    void oneExecutorRunsFitTheRoundCostAndSeveralArePredictedWithTheirOwnComputing() throws Exception {
        // W = 1e6 and 1e7 weights, the weights alone each way (innerState=reset): 2 * 4 W bytes a round.
        writeRun("small1", 1, "50,50", 1_000_000, 10.0, 0.01 + 8e6 / 1e8);
        writeRun("big1", 1, "500,500", 10_000_000, 20.0, 0.01 + 8e7 / 1e8);
        // Two copies: 5 rounds of 50 steps an epoch of 10000 images in batches of 20.
        writeRun("big2", 2, "500,500", 10_000_000, 15.0, 0.01 + 12e7 / 1e8);
        // Averaging rounds carrying SGD's momentum, at five times the linear cost: predicted, not fitted.
        writeRun("momentum1", 1, "500,500", 10_000_000, 20.0, 5 * (0.01 + 16e7 / 1e8), "epoch", "average");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ScalingCheck.print(List.of(dir("small1"), dir("big1"), dir("big2"), dir("momentum1")), 60000,
                new Configuration(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("o 10.0 ms a job, beta 100 MB/s, from 2 one-executor runs that move the weights "
                + "alone"), printed);
        // big2: computing 15 s measured (x1.50 against 20 / 2), 5 rounds of o + 40 MB out + 2 x 40 MB back.
        String[] big2 = printed.lines().filter(l -> l.startsWith("| big2 |")).findFirst().orElseThrow().split("\\|");
        assertEquals(21.05, Double.parseDouble(big2[5].trim()), 1e-9, "measured");
        // The driver's adding and outer steps, timed on this machine (a few hundredths when it is quiet),
        // complete the prediction.
        double driver = Double.parseDouble(big2[10].trim());
        assertTrue(driver > 0 && driver < 1, "driver " + driver);
        assertEquals(21.05 + driver, Double.parseDouble(big2[6].trim()), 0.011, "predicted");
        assertEquals("15.00 (x1.50)", big2[8].trim(), "computing as measured");
        assertEquals("6.05", big2[9].trim(), "five rounds of o + 40 MB out + 2 x 40 MB back");
        // The momentum run, at five times the linear cost, is predicted below it, not fitted to it.
        String[] momentum = printed.lines().filter(l -> l.startsWith("| momentum1 |")).findFirst().orElseThrow()
                .split("\\|");
        assertTrue(Double.parseDouble(momentum[6].trim()) < 0.9 * Double.parseDouble(momentum[5].trim()), printed);
    }

    private String dir(String name) {
        return tmp.resolve(name).toString();
    }

    /** A finished local-steps run: every epoch with these seconds of computing and overhead per job. */
    private void writeRun(String name, int executors, String hidden, long weights, double kernel, double perJob)
            throws Exception {
        writeRun(name, executors, hidden, weights, kernel, perJob, "local:50", "reset");
    }

    private void writeRun(String name, int executors, String hidden, long weights, double kernel, double perJob,
                          String sync, String innerState) throws Exception {
        Path run = Files.createDirectories(tmp.resolve(name));
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = json.createObjectNode();
        for (ConfigKey key : ConfigKey.TRAINING) {
            config.put(key.name(), key.defaultValue());
        }
        config.put("sync", sync).put("batchSize", "20").put("innerState", innerState)
                .put("outerOptimizer", "average").put("localWarmup", "0").put("hidden", hidden)
                .put("partitions", String.valueOf(executors));
        ObjectNode summary = json.createObjectNode().put("master", "local[" + executors + "]")
                .put("partitions", executors).put("parameters", weights).put("trainImages", 10000);
        summary.set("config", config);
        Files.writeString(run.resolve("summary.json"), json.writeValueAsString(summary));
        int rounds = sync.equals("epoch") ? 1 : 10000 / executors / 20 / 50;
        String epoch = String.format(java.util.Locale.ROOT, "{\"trainSeconds\":%s,\"kernelSeconds\":%s,"
                + "\"overheadMsPerJob\":%s}%n", kernel + rounds * perJob, kernel, 1e3 * perJob);
        Files.writeString(run.resolve("metrics.jsonl"), epoch + epoch);
    }
}
