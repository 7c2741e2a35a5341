package org.ffspark.train;

import java.util.Map;
import org.ffspark.linalg.KernelTime;

/**
 * Where an epoch's time went: training and evaluation seconds; within training, the Spark jobs it ran,
 * the time the slowest partition of each job spent computing, the driver's optimizer and averaging,
 * and the matrix products inside the computing. What is left of the training seconds is the engine's
 * overhead: scheduling, broadcast, serialization, result transfer.
 *
 * @param trainSeconds     wall seconds of the epoch's training
 * @param evalSeconds      wall seconds of its evaluation (0 when it did not evaluate)
 * @param jobs             Spark jobs that trained (one per step, or one per round of K steps)
 * @param samples          positive samples trained on (each with its negative)
 * @param kernelSeconds    sum over jobs of the slowest partition's computing time
 * @param driverSeconds    the driver's own work between jobs (summing, averaging, Adam)
 * @param gemmFlops        floating-point operations of the training's BLAS products (not the sparse
 *                         ones), all partitions
 * @param gemmCoreSeconds  thread-seconds those products took, all partitions
 */
public record EpochTiming(double trainSeconds, double evalSeconds, int jobs, long samples, double kernelSeconds,
                          double driverSeconds, long gemmFlops, double gemmCoreSeconds) {
    public static final EpochTiming NONE = new EpochTiming(0, 0, 0, 0, 0, 0, 0, 0);

    public EpochTiming plus(int moreJobs, long moreSamples, KernelTime kernel, double moreDriverSeconds) {
        return new EpochTiming(trainSeconds, evalSeconds, jobs + moreJobs, samples + moreSamples,
                kernelSeconds + kernel.wallNanos() / 1e9, driverSeconds + moreDriverSeconds,
                gemmFlops + kernel.gemmFlops(), gemmCoreSeconds + kernel.gemmNanos() / 1e9);
    }

    /** The same with the epoch's wall seconds. */
    public EpochTiming withSeconds(double train, double eval) {
        return new EpochTiming(train, eval, jobs, samples, kernelSeconds, driverSeconds, gemmFlops, gemmCoreSeconds);
    }

    /** Engine overhead per job, in milliseconds. */
    public double overheadMillisPerJob() {
        return jobs == 0 ? 0 : (trainSeconds - kernelSeconds - driverSeconds) * 1000 / jobs;
    }

    /** Achieved GFLOP/s of the training products per core. */
    public double gemmGflopsPerCore() {
        return gemmCoreSeconds == 0 ? 0 : gemmFlops / gemmCoreSeconds / 1e9;
    }

    void putInto(Map<String, Object> record) {
        record.put("trainSeconds", trainSeconds);
        record.put("evalSeconds", evalSeconds);
        record.put("trainJobs", jobs);
        record.put("samples", samples);
        record.put("kernelSeconds", kernelSeconds);
        record.put("driverSeconds", driverSeconds);
        record.put("overheadMsPerJob", overheadMillisPerJob());
        record.put("gemmFlops", gemmFlops);
        record.put("gemmCoreSeconds", gemmCoreSeconds);
        record.put("gemmGflopsPerCore", gemmGflopsPerCore());
    }

    public static EpochTiming fromRecord(Map<String, ?> r) {
        double train = number(r, "trainSeconds").doubleValue();
        double eval = number(r, "evalSeconds").doubleValue();
        if (!r.containsKey("trainJobs")) {
            return NONE.withSeconds(train, eval); // written before timings were recorded
        }
        return new EpochTiming(train, eval, number(r, "trainJobs").intValue(), number(r, "samples").longValue(),
                number(r, "kernelSeconds").doubleValue(),
                number(r, "driverSeconds").doubleValue(), number(r, "gemmFlops").longValue(),
                number(r, "gemmCoreSeconds").doubleValue());
    }

    private static Number number(Map<String, ?> r, String key) {
        return (Number) r.get(key);
    }
}
