package org.ffspark.train;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.ffspark.data.DataBlock;
import org.ffspark.linalg.Gemm;
import org.ffspark.linalg.LaneSums;
import scala.Tuple2;

/**
 * What each partition's executor computes with: the BLAS library, its kernels and threads, and what sums
 * the squares. Asked of the tasks that hold the cached training blocks, which are the ones that train.
 * Two JVMs that describe themselves alike compute the same products bit for bit; where an executor
 * differs from the driver, the run's model differs from a local run's, and the run says so.
 */
public final class ExecutorNumerics {
    private ExecutorNumerics() {
    }

    /** This JVM's description. */
    public static String here() {
        return Gemm.library() + ", sums " + LaneSums.implementation();
    }

    /** Each description the partitions' executors give, with the partitions that gave it. */
    public static Map<String, List<Integer>> of(JavaRDD<DataBlock> blocks) {
        List<Tuple2<Integer, String>> seen = blocks.mapPartitionsWithIndex(
                (partition, it) -> List.of(new Tuple2<>(partition, here())).iterator(), true).collect();
        Map<String, List<Integer>> by = new TreeMap<>();
        for (Tuple2<Integer, String> t : seen) {
            by.computeIfAbsent(t._2(), d -> new ArrayList<>()).add(t._1());
        }
        return by;
    }

    /** Prints a warning for every description that is not the driver's. */
    public static void warnIfApart(Map<String, List<Integer>> executors, PrintStream console, String label) {
        String driver = here();
        for (Map.Entry<String, List<Integer>> e : executors.entrySet()) {
            if (!e.getKey().equals(driver)) {
                console.println(label + "warning: partitions " + e.getValue() + " compute with " + e.getKey()
                        + ", the driver with " + driver + ": the model will not be the one a local run trains "
                        + "(docs/troubleshooting.md)");
            }
        }
    }
}
