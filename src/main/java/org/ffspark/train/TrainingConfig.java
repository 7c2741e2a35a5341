package org.ffspark.train;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import org.ffspark.model.Classifier;
import org.ffspark.model.FFNetwork;
import org.ffspark.model.GoodnessRule;
import org.ffspark.model.LearningRule;
import org.ffspark.model.RecurrentFFNetwork;
import org.ffspark.model.SimpleFFNetwork;
import org.ffspark.optim.LearningRateSchedule;
import org.ffspark.optim.OptimizerSettings;
import org.ffspark.partition.StepSettings;

/**
 * Everything a training run is told, validated once at the edge (the key table in
 * {@code org.ffspark.config}); past that edge code trusts it.
 *
 * @param design           the simple model's normalisation, scoring layers, readout and classifier
 * @param dynamics         iterations, damping and scoring window of {@code model=recurrent}
 * @param readout          how the simple model's readout is obtained, if at all
 * @param classifier       how the trained model predicts (a logistic readout joins after training, so
 *                         until then the network itself predicts by goodness)
 * @param optimizer        the layers' optimizer, with the learning rate already scaled for the batch size
 * @param readoutOptimizer the local readout's optimizer
 * @param lrSchedule       how the learning rates change from epoch to epoch
 * @param rule             how negatives are picked, and peer normalisation
 * @param sync             how the partitions' work becomes one network: the exact rule, averaging
 *                         rounds, or local steps
 */
public record TrainingConfig(
        DataSelection data,
        String model,
        List<Integer> hidden,
        GoodnessRule goodness,
        SimpleFFNetwork.Design design,
        RecurrentFFNetwork.Dynamics dynamics,
        ReadoutFit readout,
        Classifier classifier,
        int epochs,
        int batchSize,
        OptimizerSettings optimizer,
        OptimizerSettings readoutOptimizer,
        LearningRateSchedule lrSchedule,
        LearningRule rule,
        Sync sync,
        long seed,
        RunOptions run) implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Which images a run reads and how they are cut.
     *
     * @param directory           directory holding the four IDX files (any Hadoop path)
     * @param files               explicit paths (train images, train labels, test images, test labels), or
     *                            null to look in {@code directory}
     * @param trainLimit          seeded random subset of the training images, 0 for all
     * @param testLimit           seeded random subset of the test images, 0 for all
     * @param trainAccuracyImages how many of the first training images the train accuracy is measured on
     * @param partitions          partitions of the training data, 0 for Spark's default parallelism
     * @param frame               for data Spark reads as a DataFrame (LIBSVM, Parquet), where the test set
     *                            and the columns are; null for IDX files
     */
    public record DataSelection(String directory, List<String> files, int trainLimit, int testLimit,
                                int trainAccuracyImages, int partitions, FrameSource frame) implements Serializable {
        private static final long serialVersionUID = 1L;

        public DataSelection {
            files = files == null ? null : List.copyOf(files);
        }
    }

    /**
     * A training and a test set Spark reads as DataFrames.
     *
     * @param format {@code libsvm} or {@code parquet}
     */
    public record FrameSource(String format, String test, String featuresCol, String labelCol)
            implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * Where a run writes and how it may resume.
     *
     * @param out             directory for metrics, summary, model, report and checkpoints (any Hadoop path)
     * @param overwrite       whether results of an earlier run in {@code out} may be replaced
     * @param checkpointEvery epochs between checkpoints, 0 for only after the last
     * @param resume          continue from the newest complete checkpoint in {@code out}
     * @param evalEvery       epochs between measurements of the accuracies (and after the last)
     * @param threads         cores each partition's task uses for its products (spark.task.cpus)
     */
    public record RunOptions(String out, boolean overwrite, int checkpointEvery, boolean resume, int evalEvery,
                             int threads)
            implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** How the simple model's readout is obtained. */
    public enum ReadoutFit {
        /** No readout. */
        NONE,
        /** Trained alongside the layers, its input detached (the paper's). */
        LOCAL,
        /** Fitted after training by MLlib's multinomial logistic regression on the frozen activities. */
        LOGISTIC;

        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public TrainingConfig {
        hidden = List.copyOf(hidden);
    }

    /** What every training step of this run does, on every partition. */
    public StepSettings stepSettings() {
        return new StepSettings(batchSize, seed, rule);
    }

    /** Whether negatives are drawn from the network's own scores rather than uniformly. */
    public boolean hardNegatives() {
        return rule.negatives().hard();
    }

    /** The layers' learning rate in {@code epoch} (1-based) under the schedule. */
    public double learningRateAt(int epoch) {
        return optimizer.learningRate() * lrSchedule.factor(epoch, epochs);
    }

    /** Each parameter block's optimizer settings in {@code epoch}: the layers', then the readout's. */
    public OptimizerSettings[] optimizersAt(FFNetwork network, int epoch) {
        double factor = lrSchedule.factor(epoch, epochs);
        OptimizerSettings[] settings = new OptimizerSettings[network.blocks()];
        for (int b = 0; b < settings.length; b++) {
            OptimizerSettings base = b < network.layers() ? optimizer : readoutOptimizer;
            settings[b] = base.withLearningRate(base.learningRate() * factor);
        }
        return settings;
    }

    /** Whether {@code epoch} measures the accuracies. */
    public boolean evaluates(int epoch) {
        return epoch == epochs || epoch % run.evalEvery() == 0;
    }

    public int[] hiddenWidths() {
        return hidden.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A freshly initialised network of the configured model for {@code features} inputs. */
    public FFNetwork initialNetwork(int features, int classes) {
        return model.equals("recurrent")
                ? RecurrentFFNetwork.initialize(features, classes, hiddenWidths(), goodness, dynamics, seed)
                : SimpleFFNetwork.initialize(features, classes, hiddenWidths(), goodness, design, seed);
    }
}
