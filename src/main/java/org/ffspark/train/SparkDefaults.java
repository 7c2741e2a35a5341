package org.ffspark.train;

import org.apache.spark.SparkConf;

/**
 * Spark settings the training loop depends on for speed, applied unless the user set them. A run is
 * hundreds of short jobs per epoch, each moving the model's weights out and its gradients back, so
 * per-job costs matter more than in a usual Spark job.
 */
public final class SparkDefaults {
    private SparkDefaults() {
    }

    public static SparkConf apply(SparkConf conf) {
        // Grid points run as concurrent jobs, each in its own pool; FAIR shares the cores between them.
        conf.setIfMissing("spark.scheduler.mode", "FAIR");
        // A partition's gradient (2.6 MB at [500,500]) comes back in the task's status message, not
        // through a block-manager round trip; Spark caps this at spark.rpc.message.maxSize.
        conf.setIfMissing("spark.task.maxDirectResultSize", "128m");
        // Weights are float noise to LZ4: compressing them every step costs time and saves ~nothing.
        conf.setIfMissing("spark.broadcast.compress", "false");
        // Executors choose their BLAS as the driver does, one BLAS thread per task slot.
        conf.setIfMissing("spark.executorEnv.OPENBLAS_NUM_THREADS",
                System.getenv().getOrDefault("OPENBLAS_NUM_THREADS", "1"));
        for (String choice : new String[] {"FFSPARK_BLAS", "FFSPARK_BLAS_KERNELS"}) {
            String value = System.getenv(choice);
            if (value != null) {
                conf.setIfMissing("spark.executorEnv." + choice, value);
            }
        }
        return conf;
    }
}
