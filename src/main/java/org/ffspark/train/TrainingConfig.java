package org.ffspark.train;

import java.util.List;
import org.ffspark.model.FFNetwork;
import org.ffspark.model.GoodnessRule;
import org.ffspark.model.RecurrentFFNetwork;
import org.ffspark.model.SimpleFFNetwork;
import org.ffspark.optim.AdamSettings;
import org.ffspark.optim.LearningRateSchedule;

/**
 * Everything a training run is told, validated once by the command line; past that edge code trusts
 * it. The README lists every key with its default.
 *
 * @param data          directory holding the four IDX files (any Hadoop path)
 * @param dataFiles     explicit file paths (train images, train labels, test images, test labels),
 *                      or null to look in {@code data}
 * @param out           directory for metrics, summary and model (any Hadoop path)
 * @param overwrite     whether results of an earlier run in {@code out} may be replaced
 * @param trainLimit    seeded random subset of the training images, 0 for all
 * @param testLimit     seeded random subset of the test images, 0 for all
 * @param trainAccuracyImages how many of the first training images the train accuracy is measured on
 * @param partitions    partitions of the training data, 0 for Spark's default parallelism
 * @param checkpointEvery epochs between checkpoints, 0 for only after the last
 * @param resume        continue from the newest complete checkpoint in {@code out}
 * @param syncEvery     optimizer steps between averaging rounds; 1 is the exact synchronous rule,
 *                      {@link #SYNC_PER_EPOCH} one round per epoch
 * @param adam          Adam's settings, with the learning rate already scaled for the batch size
 * @param dynamics      iterations, damping and scoring window of {@code model=recurrent}
 * @param negativeScoreLayers 0 for {@code negatives=random}; otherwise wrong labels are drawn from the
 *                      network's own scores, its goodness summed over this many layers from the first
 *                      ({@code negatives=hard}: all of them; {@code hard:L}: L)
 * @param lrSchedule    how the learning rate of {@code adam} changes from epoch to epoch
 */
public record TrainingConfig(
        String data,
        List<String> dataFiles,
        String out,
        boolean overwrite,
        String model,
        List<Integer> hidden,
        int epochs,
        int batchSize,
        AdamSettings adam,
        GoodnessRule goodness,
        int trainLimit,
        int testLimit,
        int trainAccuracyImages,
        long seed,
        int partitions,
        int checkpointEvery,
        boolean resume,
        int syncEvery,
        RecurrentFFNetwork.Dynamics dynamics,
        int negativeScoreLayers,
        LearningRateSchedule lrSchedule) {

    /** {@code sync=epoch}: one averaging round per epoch, whatever its number of steps. */
    public static final int SYNC_PER_EPOCH = 0;

    public TrainingConfig {
        hidden = List.copyOf(hidden);
        dataFiles = dataFiles == null ? null : List.copyOf(dataFiles);
    }

    /** Whether negatives are drawn from the network's own scores rather than uniformly. */
    public boolean hardNegatives() {
        return negativeScoreLayers > 0;
    }

    /** Optimizer steps per averaging round in an epoch of {@code stepsPerEpoch} steps. */
    public int stepsPerRound(int stepsPerEpoch) {
        return syncEvery == SYNC_PER_EPOCH ? stepsPerEpoch : Math.min(syncEvery, stepsPerEpoch);
    }

    /** The sync setting as the config key writes it. */
    public String syncText() {
        return syncEvery == SYNC_PER_EPOCH ? "epoch" : "every:" + syncEvery;
    }

    /** The learning rate of {@code epoch} (1-based) under the schedule. */
    public double learningRateAt(int epoch) {
        return adam.learningRate() * lrSchedule.factor(epoch, epochs);
    }

    /** Adam's settings with the learning rate of {@code epoch}. */
    public AdamSettings adamAt(int epoch) {
        return new AdamSettings(learningRateAt(epoch), adam.beta1(), adam.beta2(), adam.epsilon());
    }

    public int[] hiddenWidths() {
        return hidden.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A freshly initialised network of the configured model for {@code features} inputs. */
    public FFNetwork initialNetwork(int features, int classes) {
        return model.equals("recurrent")
                ? RecurrentFFNetwork.initialize(features, classes, hiddenWidths(), goodness, dynamics, seed)
                : SimpleFFNetwork.initialize(features, classes, hiddenWidths(), goodness, seed);
    }
}
