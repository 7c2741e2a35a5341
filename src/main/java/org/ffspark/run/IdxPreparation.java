package org.ffspark.run;

import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.ffspark.FfsparkException;
import org.ffspark.data.BlockSource;
import org.ffspark.data.IdxDataset;
import org.ffspark.data.IdxFiles;
import org.ffspark.data.LabeledImages;
import org.ffspark.random.TorchPermutation;
import org.ffspark.train.TrainingConfig;
import org.ffspark.train.TrainingData;

/**
 * A run's IDX data (MNIST's four files, or any set of the same kind): read and checked on the driver,
 * so that any problem is reported before anything is written, its seeded subsets drawn, and its blocks
 * built and cached by the executors.
 */
final class IdxPreparation {
    /**
     * Generator outputs spent before each subset is drawn. As in the notebook, one generator seeded
     * with the run seed draws the training permutation first and the test permutation next.
     */
    static final long TRAIN_SUBSET_DRAWS_BEFORE = 0;
    /** Test images shown one by one in the report. */
    static final int REPORT_SAMPLES = 10;

    private IdxPreparation() {
    }

    static long testSubsetDrawsBefore(int trainingImages) {
        return TorchPermutation.drawsFor(trainingImages);
    }

    static PreparedData prepare(JavaSparkContext sc, TrainingConfig config) {
        Configuration hadoop = sc.hadoopConfiguration();
        TrainingConfig.DataSelection selection = config.data();
        List<String> named = selection.files();
        IdxFiles files = named == null
                ? IdxFiles.inDirectory(selection.directory(), hadoop)
                : new IdxFiles(named.get(0), named.get(1), named.get(2), named.get(3));
        files = files.qualified(hadoop);
        IdxDataset data = IdxDataset.read(files, hadoop);
        LabeledImages train = subset(data.train(), selection.trainLimit(), "trainLimit", "training",
                files.trainImages(), config.seed(), TRAIN_SUBSET_DRAWS_BEFORE);
        long testDrawsBefore = testSubsetDrawsBefore(data.train().count());
        LabeledImages test = subset(data.test(), selection.testLimit(), "testLimit", "test",
                files.testImages(), config.seed(), testDrawsBefore);
        TrainingData blocks = TrainingData.load(sc,
                new BlockSource(files.trainImages(), files.trainLabels(), selection.trainLimit(), config.seed(),
                        TRAIN_SUBSET_DRAWS_BEFORE, 0, 1), train.count(),
                new BlockSource(files.testImages(), files.testLabels(), selection.testLimit(), config.seed(),
                        testDrawsBefore, 0, 1), test.count(),
                selection.partitions(), selection.trainAccuracyImages());
        return new PreparedData(blocks, train.features(), LabeledImages.CLASSES, data.sha256(),
                test.head(REPORT_SAMPLES));
    }

    private static LabeledImages subset(LabeledImages all, int limit, String key, String what, String file,
                                        long seed, long drawsBefore) {
        checkLimit(limit, all.count(), key, what, file);
        return all.randomSubset(limit, seed, drawsBefore);
    }

    /** A subset of {@code limit} images (0: all) can be drawn from a file of {@code count}. */
    static void checkLimit(int limit, int count, String key, String what, String file) {
        if (limit > count) {
            throw new FfsparkException(key + " " + limit + " is larger than the " + count + " " + what
                    + " images in " + file);
        }
        if (count == 0) {
            throw new FfsparkException(file + " holds no images");
        }
    }
}
