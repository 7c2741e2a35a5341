package org.ffspark.train;

import java.util.Map;
import org.ffspark.model.KernelTime;

/**
 * Where an epoch's training time went: the Spark jobs it ran, the time the slowest partition of each
 * job spent computing, the driver's optimizer and averaging, and the matrix products inside the
 * computing. What is left of the training seconds is the engine's overhead: scheduling, broadcast,
 * serialization, result transfer.
 *
 * @param jobs             Spark jobs that trained (one per step, or one per round of K steps)
 * @param samples          positive samples trained on (each with its negative)
 * @param kernelSeconds    sum over jobs of the slowest partition's computing time
 * @param driverSeconds    the driver's own work between jobs (summing, averaging, Adam)
 * @param gemmFlops        floating-point operations of the training's BLAS products (not the sparse
 *                         ones), all partitions
 * @param gemmCoreSeconds  thread-seconds those products took, all partitions
 */
public record EpochTiming(int jobs, long samples, double kernelSeconds, double driverSeconds, long gemmFlops,
                          double gemmCoreSeconds) {
    public static final EpochTiming NONE = new EpochTiming(0, 0, 0, 0, 0, 0);

    public EpochTiming plus(int moreJobs, long moreSamples, KernelTime kernel, double moreDriverSeconds) {
        return new EpochTiming(jobs + moreJobs, samples + moreSamples, kernelSeconds + kernel.wallNanos() / 1e9,
                driverSeconds + moreDriverSeconds, gemmFlops + kernel.gemmFlops(),
                gemmCoreSeconds + kernel.gemmNanos() / 1e9);
    }

    /** Engine overhead per job, in milliseconds, for an epoch that trained {@code trainSeconds}. */
    public double overheadMillisPerJob(double trainSeconds) {
        return jobs == 0 ? 0 : (trainSeconds - kernelSeconds - driverSeconds) * 1000 / jobs;
    }

    /** Achieved GFLOP/s of the training products per core. */
    public double gemmGflopsPerCore() {
        return gemmCoreSeconds == 0 ? 0 : gemmFlops / gemmCoreSeconds / 1e9;
    }

    void putInto(Map<String, Object> record, double trainSeconds) {
        record.put("trainJobs", jobs);
        record.put("samples", samples);
        record.put("kernelSeconds", kernelSeconds);
        record.put("driverSeconds", driverSeconds);
        record.put("overheadMsPerJob", overheadMillisPerJob(trainSeconds));
        record.put("gemmFlops", gemmFlops);
        record.put("gemmCoreSeconds", gemmCoreSeconds);
        record.put("gemmGflopsPerCore", gemmGflopsPerCore());
    }

    static EpochTiming fromRecord(Map<String, ?> r) {
        if (!r.containsKey("trainJobs")) {
            return NONE; // written before timings were recorded
        }
        return new EpochTiming(number(r, "trainJobs").intValue(), number(r, "samples").longValue(),
                number(r, "kernelSeconds").doubleValue(),
                number(r, "driverSeconds").doubleValue(), number(r, "gemmFlops").longValue(),
                number(r, "gemmCoreSeconds").doubleValue());
    }

    private static Number number(Map<String, ?> r, String key) {
        return (Number) r.get(key);
    }
}
