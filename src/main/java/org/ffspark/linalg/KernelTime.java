package org.ffspark.linalg;

import java.io.Serializable;

/**
 * Where a piece of training work spent its time: its wall time on its thread, and the matrix products
 * within it (floating-point operations and nanoseconds), from which the achieved GFLOP/s follows.
 *
 * <p>Concurrent pieces (the partitions of one step) combine by the longest wall time, since the step
 * waits for its slowest share; products add up.
 */
public final class KernelTime implements Serializable {
    private static final long serialVersionUID = 1L;

    private long wallNanos;
    private long gemmFlops;
    private long gemmNanos;

    public long wallNanos() {
        return wallNanos;
    }

    public long gemmFlops() {
        return gemmFlops;
    }

    public long gemmNanos() {
        return gemmNanos;
    }

    /** Records a piece of work that took {@code nanos} and whose products the meter counted. */
    public void addSequential(long nanos, Gemm.Meter products) {
        wallNanos += nanos;
        gemmFlops += products.flops();
        gemmNanos += products.nanos();
    }

    public void addConcurrent(KernelTime other) {
        wallNanos = Math.max(wallNanos, other.wallNanos);
        gemmFlops += other.gemmFlops;
        gemmNanos += other.gemmNanos;
    }
}
