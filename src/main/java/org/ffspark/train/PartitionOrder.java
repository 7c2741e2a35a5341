package org.ffspark.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function;
import org.ffspark.data.DataBlock;
import org.ffspark.linalg.ProductThreads;
import scala.Tuple2;

/**
 * Combines what every partition computed (a gradient share to sum, a replica to average) in partition
 * order, so that float sums, and so whole runs, do not depend on which task finished first. Up to
 * {@link #DIRECT_PARTITIONS} partitions the driver receives every result; beyond, they are combined
 * in groups on the executors first, so the driver receives about the square root as many, and combines
 * those.
 */
final class PartitionOrder {
    /** Up to this many partitions the driver combines every partition's result itself. */
    static final int DIRECT_PARTITIONS = 8;

    private PartitionOrder() {
    }

    /**
     * {@code perBlock} on every block, in partition order: every partition's result, or past
     * {@link #DIRECT_PARTITIONS} partitions each group's, combined by {@code combine} in partition order on
     * an executor. Combining the list once more on the driver gives the same as combining every result
     * in partition order.
     */
    static <T> List<T> results(JavaRDD<DataBlock> blocks, BlockJobs.PerBlock<DataBlock, T> perBlock,
                               Function<List<T>, T> combine) {
        if (blocks.getNumPartitions() <= DIRECT_PARTITIONS) {
            return BlockJobs.each(blocks, perBlock);
        }
        return inGroups(blocks.map(block -> {
            ProductThreads.use(TaskContext.get().cpus());
            return perBlock.apply(0, block);
        }), combine);
    }

    /**
     * Partitions grouped by index ({@code sqrt(P)} to a group), each group combined on an executor in
     * partition order; the groups' results in group order. Spark's own treeAggregate combines in whatever
     * order shuffle blocks arrive.
     */
    static <T> List<T> inGroups(JavaRDD<T> results, Function<List<T>, T> combine) {
        int partitions = results.getNumPartitions();
        int groupSize = (int) Math.ceil(Math.sqrt(partitions));
        int groups = (partitions + groupSize - 1) / groupSize;
        List<Tuple2<Integer, T>> combined = results
                .mapPartitionsWithIndex((index, it) -> {
                    List<Tuple2<Integer, Tuple2<Integer, T>>> keyed = new ArrayList<>();
                    it.forEachRemaining(g -> keyed.add(new Tuple2<>(index / groupSize, new Tuple2<>(index, g))));
                    return keyed.iterator();
                }, true)
                .mapToPair(t -> t)
                .groupByKey(new HashPartitioner(groups))
                .map(group -> {
                    List<Tuple2<Integer, T>> members = new ArrayList<>();
                    group._2().forEach(members::add);
                    members.sort(Comparator.comparing(Tuple2::_1));
                    return new Tuple2<>(group._1(), combine.call(members.stream().map(Tuple2::_2).toList()));
                })
                .collect();
        List<Tuple2<Integer, T>> ordered = new ArrayList<>(combined);
        ordered.sort(Comparator.comparing(Tuple2::_1));
        return ordered.stream().map(Tuple2::_2).toList();
    }
}
