package org.ffspark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.ffspark.data.DataBlock;
import org.junit.jupiter.api.Test;

/** Every partition says what it computes with; a partition that differs from the driver is a warning. */
class ExecutorNumericsTest {
    @Test
    void everyPartitionReportsAndTheSameAsTheDriverIsNoNews() {
        var blocks = LocalSpark.context().parallelize(List.of(0, 1, 2), 3)
                .map(i -> DataBlock.ofValues(i, 1, 1, new float[] {1}, new int[] {0}));
        Map<String, List<Integer>> seen = ExecutorNumerics.of(blocks);
        assertEquals(Map.of(ExecutorNumerics.here(), List.of(0, 1, 2)), seen, "local[2]: the driver's JVM");
        assertTrue(ExecutorNumerics.here().contains("sums "), ExecutorNumerics.here());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream console = new PrintStream(out, true, StandardCharsets.UTF_8);
        ExecutorNumerics.warnIfApart(seen, console, "");
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        ExecutorNumerics.warnIfApart(Map.of("Java VectorBLAS, sums scalar", List.of(1)), console, "");
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("warning: partitions [1] compute with Java "
                + "VectorBLAS, sums scalar, the driver with "), out.toString(StandardCharsets.UTF_8));
    }
}
