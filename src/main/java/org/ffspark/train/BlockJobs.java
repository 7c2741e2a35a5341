package org.ffspark.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.ffspark.linalg.ProductThreads;
import scala.collection.Iterator;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;

/**
 * One Spark job over the elements of an RDD (the cached data blocks), its function handed to Spark as
 * an instance of a named class. Given a lambda, as {@code rdd.map(...).collect()} is, Spark's closure
 * cleaner reads the lambda's class file and the collect's with ASM on every job: a few milliseconds,
 * which at one job per training step was a large share of the engine's time per step. A named class
 * it leaves alone.
 */
final class BlockJobs {
    private BlockJobs() {
    }

    /** What a task does with each element of its partition. */
    interface PerBlock<T, U> extends Serializable {
        U apply(int partition, T block);
    }

    /**
     * Results of tasks run in the driver's JVM (a local master), by job: handed over as they are rather
     * than serialised into the task's status message and read back (109 MB a round for the paper network
     * with its optimizer state).
     */
    private static final Map<Long, AtomicReferenceArray<List<?>>> IN_PROCESS = new ConcurrentHashMap<>();
    private static final AtomicLong NEXT_JOB = new AtomicLong();

    /** {@code perBlock} applied to every element of {@code rdd}, the results in partition order. */
    @SuppressWarnings("unchecked")
    static <T, U> List<U> each(JavaRDD<T> rdd, PerBlock<T, U> perBlock) {
        ClassTag<ArrayList<U>> tag = (ClassTag<ArrayList<U>>) (ClassTag<?>) ClassTag$.MODULE$.apply(ArrayList.class);
        long handOff = rdd.context().isLocal() ? NEXT_JOB.incrementAndGet() : 0;
        if (handOff != 0) {
            IN_PROCESS.put(handOff, new AtomicReferenceArray<>(rdd.getNumPartitions()));
        }
        try {
            Object[] parts = (Object[]) rdd.context().runJob(rdd.rdd(), new Job<>(perBlock, handOff), tag);
            AtomicReferenceArray<List<?>> handed = handOff == 0 ? null : IN_PROCESS.get(handOff);
            List<U> all = new ArrayList<>();
            for (int p = 0; p < parts.length; p++) {
                all.addAll((List<U>) (handed == null ? parts[p] : handed.get(p)));
            }
            return all;
        } finally {
            IN_PROCESS.remove(handOff);
        }
    }

    /** Jobs whose in-process results are still held (for tests: none should outlive its job). */
    static int heldInProcess() {
        return IN_PROCESS.size();
    }

    private static final class Job<T, U> extends AbstractFunction2<TaskContext, Iterator<T>, ArrayList<U>>
            implements Serializable {
        private final PerBlock<T, U> perBlock;
        /** The job's key for results handed over in the driver's JVM, or 0 to return them through Spark. */
        private final long handOff;

        Job(PerBlock<T, U> perBlock, long handOff) {
            this.perBlock = perBlock;
            this.handOff = handOff;
        }

        @Override
        public ArrayList<U> apply(TaskContext context, Iterator<T> elements) {
            // A task holding several cores (spark.task.cpus) splits its products between them.
            ProductThreads.use(context.cpus());
            ArrayList<U> out = new ArrayList<>();
            while (elements.hasNext()) {
                out.add(perBlock.apply(context.partitionId(), elements.next()));
            }
            if (handOff != 0) {
                // A retried or speculative attempt computes the same result: the last one set stands.
                // A task outliving its cancelled job finds its place gone and drops its result.
                AtomicReferenceArray<List<?>> results = IN_PROCESS.get(handOff);
                if (results != null) {
                    results.set(context.partitionId(), out);
                }
                return new ArrayList<>();
            }
            return out;
        }
    }
}
