package org.ffspark.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function;
import org.ffspark.data.DataBlock;
import org.ffspark.linalg.ProductThreads;
import org.ffspark.partition.PartitionRound;
import org.ffspark.partition.ReplicaSlices;
import org.ffspark.partition.ReplicaState;
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
     * The partitions' replicas after a round, averaged in slices ({@link ReplicaSlices}): each task
     * cuts its replica into one piece a partition, a shuffle brings every replica's piece of a slice to
     * one task, which averages it, and the driver receives the averaged slices and the replicas' figures.
     * The driver then takes in one network's worth of bytes however many partitions there are, and the
     * result is the partition-ordered average's, bit for bit; with {@code deltas}, the pieces and the
     * averaged slices carry each value's change from the round's {@code start} in bfloat16, half the
     * bytes, and the average is that of the rounded changes.
     */
    static PartitionRound.Share averageInSlices(JavaRDD<DataBlock> blocks,
                                                BlockJobs.PerBlock<DataBlock, PartitionRound.Share> perBlock,
                                                DriverValue<ReplicaState> start, boolean deltas) {
        int slices = blocks.getNumPartitions();
        List<Tuple2<Integer, Serializable>> reduced = blocks.mapPartitionsWithIndex((index, it) -> {
            ProductThreads.use(TaskContext.get().cpus());
            List<Tuple2<Integer, Serializable>> records = new ArrayList<>();
            while (it.hasNext()) {
                PartitionRound.Share share = perBlock.apply(index, it.next());
                for (ReplicaSlices.Piece piece : ReplicaSlices.pieces(index, share, deltas ? start.value() : null,
                        slices)) {
                    records.add(new Tuple2<>(piece.slice(), piece));
                }
                records.add(new Tuple2<>(slices, ReplicaSlices.Figures.of(index, share)));
            }
            return records.iterator();
        }, true).mapToPair(t -> t).groupByKey(new HashPartitioner(slices + 1)).map(group -> {
            List<Serializable> members = new ArrayList<>();
            group._2().forEach(members::add);
            if (group._1() == slices) {
                return new Tuple2<Integer, Serializable>(group._1(), new ArrayList<>(members));
            }
            List<ReplicaSlices.Piece> pieces = members.stream().map(m -> (ReplicaSlices.Piece) m).toList();
            return new Tuple2<Integer, Serializable>(group._1(), ReplicaSlices.average(pieces));
        }).collect();
        List<ReplicaSlices.Piece> averaged = new ArrayList<>();
        List<ReplicaSlices.Figures> figures = new ArrayList<>();
        for (Tuple2<Integer, Serializable> r : reduced) {
            if (r._1() == slices) {
                for (Object f : (List<?>) r._2()) {
                    figures.add((ReplicaSlices.Figures) f);
                }
            } else {
                averaged.add((ReplicaSlices.Piece) r._2());
            }
        }
        return ReplicaSlices.assemble(start.value(), averaged, figures);
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
