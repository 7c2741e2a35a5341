package org.ffspark.run;

import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.ffspark.config.Settings;
import org.ffspark.linalg.Gemm;
import org.ffspark.linalg.LaneSums;
import org.ffspark.report.Provenance;

/** Where a trained model came from: its settings, data checksums, versions, master and kernels. */
final class RunProvenance {
    private RunProvenance() {
    }

    static Provenance of(JavaSparkContext sc, Settings settings, Map<String, String> sha256, int partitions,
                         Map<String, List<Integer>> executors) {
        return new Provenance(settings.asMap(), sha256, Versions.ffspark(), sc.version(),
                sc.master(), partitions, Gemm.library(), LaneSums.implementation(), System.getProperty("java.version"),
                executors);
    }
}
