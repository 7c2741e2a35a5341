package org.ffspark.train;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.SerializableConfiguration;
import org.ffspark.data.BlockSource;
import org.ffspark.data.DataBlock;

/**
 * The data of a run on the cluster: cached RDDs of dense blocks, one block per partition, each built
 * by an executor from the IDX files ({@link BlockSource}). {@link #release} frees them when the run ends:
 * an application that trains many runs (a grid, a notebook) keeps nothing of the finished ones.
 *
 * @param trainAccuracy the first training images, on which the train accuracy is measured
 * @param shared        what the executors read the blocks with (the Hadoop configuration), kept while the
 *                      blocks may have to be read again
 */
public record TrainingData(JavaRDD<DataBlock> train, int trainCount, JavaRDD<DataBlock> trainAccuracy,
                           JavaRDD<DataBlock> test, int testCount, List<Broadcast<?>> shared) {

    public TrainingData(JavaRDD<DataBlock> train, int trainCount, JavaRDD<DataBlock> trainAccuracy,
                        JavaRDD<DataBlock> test, int testCount) {
        this(train, trainCount, trainAccuracy, test, testCount, List.of());
    }

    /** Drops the cached blocks and destroys what they were read with. */
    public void release() {
        for (JavaRDD<DataBlock> rdd : List.of(train, trainAccuracy, test)) {
            rdd.unpersist(false);
        }
        for (Broadcast<?> b : shared) {
            b.destroy();
        }
    }

    /**
     * Builds and caches the blocks.
     *
     * @param trainCount size of the training (sub)set, as the driver read it
     * @param testCount  size of the test (sub)set
     */
    public static TrainingData load(JavaSparkContext sc, BlockSource train, int trainCount, BlockSource test,
                                    int testCount, int partitions, int trainAccuracyImages) {
        int parts = Math.min(partitions > 0 ? partitions : sc.defaultParallelism(), trainCount);
        int accuracyImages = Math.min(trainAccuracyImages, trainCount);
        Broadcast<SerializableConfiguration> hadoop = sc.broadcast(
                new SerializableConfiguration(new Configuration(sc.hadoopConfiguration())));
        return new TrainingData(
                blocks(sc, hadoop, train.withParts(parts), "train"), trainCount,
                blocks(sc, hadoop, train.withHead(accuracyImages, Math.min(parts, accuracyImages)), "train-accuracy"),
                blocks(sc, hadoop, test.withParts(Math.min(parts, testCount)), "test"), testCount, List.of(hadoop));
    }

    /**
     * Blocks of {@code source} read by the executors with the broadcast Hadoop configuration (not in
     * the tasks' closures, which every training task would carry), cached where they were read.
     */
    public static JavaRDD<DataBlock> blocks(JavaSparkContext sc, Broadcast<SerializableConfiguration> hadoop,
                                            BlockSource source, String name) {
        List<Integer> parts = IntStream.range(0, source.parts()).boxed().collect(Collectors.toList());
        JavaRDD<DataBlock> rdd = sc.parallelize(parts, parts.size())
                .map(part -> source.block(part, hadoop.value().value()))
                .setName(name);
        rdd.persist(StorageLevel.MEMORY_AND_DISK());
        sc.setJobDescription("read " + name + " blocks");
        rdd.count(); // read now, so the first training step does not pay for it
        return rdd;
    }

    public int partitions() {
        return train.getNumPartitions();
    }

    /** The samples of the largest training block (a job over the cached blocks). */
    public int largestTrainBlock() {
        return train.map(DataBlock::count).reduce(Math::max);
    }
}
