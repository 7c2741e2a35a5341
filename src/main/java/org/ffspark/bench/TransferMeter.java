package org.ffspark.bench;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Bytes that tasks sent back to the driver (Spark's own task metric, the serialized results), and how
 * many tasks sent them: the "collected per round" input of the scaling model in docs/scaling.md.
 */
final class TransferMeter extends SparkListener {
    private final AtomicLong resultBytes = new AtomicLong();
    private final AtomicLong tasks = new AtomicLong();

    @Override
    public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        if (taskEnd.taskMetrics() != null) {
            resultBytes.addAndGet(taskEnd.taskMetrics().resultSize());
            tasks.incrementAndGet();
        }
    }

    /** Bytes and tasks since the last call. */
    long[] takeBytesAndTasks() {
        return new long[] {resultBytes.getAndSet(0), tasks.getAndSet(0)};
    }
}
