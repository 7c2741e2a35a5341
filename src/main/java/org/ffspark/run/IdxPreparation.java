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
        IdxDataset data = IdxDataset.check(files, hadoop);
        checkLimit(selection.trainLimit(), data.trainCount(), "trainLimit", "training", files.trainImages());
        checkLimit(selection.testLimit(), data.testCount(), "testLimit", "test", files.testImages());
        int trainCount = selection.trainLimit() > 0 ? selection.trainLimit() : data.trainCount();
        int testCount = selection.testLimit() > 0 ? selection.testLimit() : data.testCount();
        long testDrawsBefore = testSubsetDrawsBefore(data.trainCount());
        BlockSource train = new BlockSource(files.trainImages(), files.trainLabels(), data.trainCount(),
                selection.trainLimit(), config.seed(), TRAIN_SUBSET_DRAWS_BEFORE, 0, 1);
        BlockSource test = new BlockSource(files.testImages(), files.testLabels(), data.testCount(),
                selection.testLimit(), config.seed(), testDrawsBefore, 0, 1);
        TrainingData blocks = TrainingData.load(sc, train, trainCount, test, testCount, selection.partitions(),
                selection.trainAccuracyImages());
        return new PreparedData(blocks, data.features(), LabeledImages.CLASSES, data.fileSha256(),
                data.contentSha256(), test.withHead(Math.min(REPORT_SAMPLES, testCount), 1).images(hadoop));
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
