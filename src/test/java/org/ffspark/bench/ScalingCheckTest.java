package org.ffspark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
