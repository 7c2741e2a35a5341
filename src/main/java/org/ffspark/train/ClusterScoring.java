package org.ffspark.train;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.ffspark.data.DataBlock;
import org.ffspark.eval.BlockEvaluation;
import org.ffspark.eval.ConfusionMatrix;
import org.ffspark.model.FFKernels;
import org.ffspark.model.FFNetwork;
import scala.Tuple2;

/**
 * A network scored where the blocks are: the network is broadcast, every partition scores its block,
 * and only the counts (or, for a few thousand samples, the scores) come back to the driver. Every
 * broadcast is destroyed in a {@code finally}, so a long-lived application keeps nothing behind.
 */
public final class ClusterScoring {
    private final JavaSparkContext sc;

    public ClusterScoring(JavaSparkContext sc) {
        this.sc = sc;
    }

    /** Accuracy counts of a network on blocks. */
    public ConfusionMatrix evaluate(FFNetwork network, JavaRDD<DataBlock> blocks) {
        DriverValue<FFNetwork> weights = DriverValue.of(sc, network);
        try {
            ConfusionMatrix total = new ConfusionMatrix(network.classes());
            for (ConfusionMatrix part : BlockJobs.each(blocks, (index, block) ->
                    BlockEvaluation.evaluate(weights.value(), block))) {
                total.add(part);
            }
            return total;
        } finally {
            weights.destroy();
        }
    }

    /**
     * The train-accuracy and test confusion matrices in one Spark job (a union of both block sets, told
     * apart by partition index), so an epoch's evaluation pays one job's overhead, not two.
     */
    ConfusionMatrix[] trainAndTest(FFNetwork network, TrainingData data) {
        DriverValue<FFNetwork> weights = DriverValue.of(sc, network);
        List<Tuple2<Integer, ConfusionMatrix>> parts;
        try {
            int trainParts = data.trainAccuracy().getNumPartitions();
            parts = BlockJobs.each(data.trainAccuracy().union(data.test()),
                    (index, block) -> new Tuple2<>(index < trainParts ? 0 : 1,
                            BlockEvaluation.evaluate(weights.value(), block)));
        } finally {
            weights.destroy();
        }
        ConfusionMatrix[] both = new ConfusionMatrix[2];
        for (Tuple2<Integer, ConfusionMatrix> part : parts) {
            int which = part._1();
            both[which] = both[which] == null ? part._2() : both[which].add(part._2());
        }
        for (int i = 0; i < both.length; i++) {
            if (both[i] == null) { // no images (a fit without a test set): accuracy NaN
                both[i] = new ConfusionMatrix(network.classes());
            }
        }
        return both;
    }

    /**
     * Every sample's label and its score of every label ({@code scores[i * classes + c]}), in the blocks'
     * order, computed where the blocks are and brought to the driver: for a few thousand samples.
     */
    public record Scored(int[] labels, float[] scores, int count, int classes) implements Serializable {
    }

    public Scored score(FFNetwork network, JavaRDD<DataBlock> blocks) {
        DriverValue<FFNetwork> weights = DriverValue.of(sc, network);
        List<Scored> parts;
        try {
            parts = BlockJobs.each(blocks, (index, block) -> {
                float[] pixels = new float[block.count() * block.features()];
                for (int i = 0; i < block.count(); i++) {
                    block.copyScaled(i, pixels, i * block.features());
                }
                float[] scores = new float[block.count() * weights.value().classes()];
                FFKernels.score(weights.value(), pixels, block.count(), scores);
                return new Scored(Arrays.copyOf(block.labels(), block.count()), scores, block.count(),
                        weights.value().classes());
            });
        } finally {
            weights.destroy();
        }
        int n = parts.stream().mapToInt(Scored::count).sum();
        int classes = network.classes();
        int[] labels = new int[n];
        float[] scores = new float[n * classes];
        int at = 0;
        for (Scored part : parts) {
            System.arraycopy(part.labels(), 0, labels, at, part.count());
            System.arraycopy(part.scores(), 0, scores, at * classes, part.count() * classes);
            at += part.count();
        }
        return new Scored(labels, scores, n, classes);
    }
}
