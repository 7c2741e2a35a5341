package org.ffspark.train;

import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * A value the driver hands to a job's tasks, read-only: a Spark broadcast, or, when Spark runs the
 * tasks in the driver's own JVM (a local master), a reference kept in this JVM. A broadcast serialises
 * its value on the driver even where no task will read the bytes (in local mode tasks read the
 * driver's object): for the paper network with its optimizer state, 109 MB, that was a fifth to half
 * a second a round.
 */
final class DriverValue<T> implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Map<Long, Object> IN_PROCESS = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT_ID = new AtomicLong();

    private final Broadcast<T> broadcast;
    private final long id;

    private DriverValue(Broadcast<T> broadcast, long id) {
        this.broadcast = broadcast;
        this.id = id;
    }

    /** {@code value} for the next jobs' tasks; {@link #destroy} it when they have ended. */
    static <T> DriverValue<T> of(JavaSparkContext sc, T value) {
        if (!sc.isLocal()) {
            return new DriverValue<>(sc.broadcast(value), -1);
        }
        long id = NEXT_ID.incrementAndGet();
        IN_PROCESS.put(id, value);
        return new DriverValue<>(null, id);
    }

    @SuppressWarnings("unchecked")
    T value() {
        if (broadcast != null) {
            return broadcast.value();
        }
        Object value = IN_PROCESS.get(id);
        if (value == null) {
            throw new IllegalStateException("driver value " + id + " was read after it was destroyed");
        }
        return (T) value;
    }

    void destroy() {
        if (broadcast != null) {
            broadcast.destroy();
        } else {
            IN_PROCESS.remove(id);
        }
    }

    /** Values not yet destroyed in this JVM (for tests: none should outlive their jobs). */
    static int liveInProcess() {
        return IN_PROCESS.size();
    }
}
