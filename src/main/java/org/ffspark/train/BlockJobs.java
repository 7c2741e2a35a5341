package org.ffspark.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
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

    /** {@code perBlock} applied to every element of {@code rdd}, the results in partition order. */
    @SuppressWarnings("unchecked")
    static <T, U> List<U> each(JavaRDD<T> rdd, PerBlock<T, U> perBlock) {
        ClassTag<ArrayList<U>> tag = (ClassTag<ArrayList<U>>) (ClassTag<?>) ClassTag$.MODULE$.apply(ArrayList.class);
        Object[] parts = (Object[]) rdd.context().runJob(rdd.rdd(), new Job<>(perBlock), tag);
        List<U> all = new ArrayList<>();
        for (Object part : parts) {
            all.addAll((List<U>) part);
        }
        return all;
    }

    private static final class Job<T, U> extends AbstractFunction2<TaskContext, Iterator<T>, ArrayList<U>>
            implements Serializable {
        private final PerBlock<T, U> perBlock;

        Job(PerBlock<T, U> perBlock) {
            this.perBlock = perBlock;
        }

        @Override
        public ArrayList<U> apply(TaskContext context, Iterator<T> elements) {
            // A task holding several cores (spark.task.cpus) splits its products between them.
            ProductThreads.use(context.cpus());
            ArrayList<U> out = new ArrayList<>();
            while (elements.hasNext()) {
                out.add(perBlock.apply(context.partitionId(), elements.next()));
            }
            return out;
        }
    }
}
