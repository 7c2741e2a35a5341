package org.ffspark.cli;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** One configuration key: its name, default ("" for none) and what it means. */
public record ConfigKey(String name, String defaultValue, String meaning) {

    /** Every training key, in the order the README lists them. */
    public static final List<ConfigKey> TRAINING = List.of(
            new ConfigKey("data", "data/mnist",
                    "directory holding the four IDX files (plain or .gz), on any Hadoop file system"),
            new ConfigKey("data.trainImages", "", "explicit training image file; the four data.* keys go together and replace data"),
            new ConfigKey("data.trainLabels", "", "explicit training label file"),
            new ConfigKey("data.testImages", "", "explicit test image file"),
            new ConfigKey("data.testLabels", "", "explicit test label file"),
            new ConfigKey("out", "target/ffspark-out", "output directory for metrics.jsonl, summary.json, model.ffm"),
            new ConfigKey("overwrite", "false", "replace the results of an earlier run in out"),
            new ConfigKey("model", "simple", "FF model: simple (Hinton's feed-forward FF) or recurrent (the paper's section 5)"),
            new ConfigKey("hidden", "500,500", "hidden layer widths, comma-separated"),
            new ConfigKey("epochs", "60", "passes over the training data"),
            new ConfigKey("batchSize", "64", "positive samples per step (each gets one negative)"),
            new ConfigKey("lr", "0.03", "Adam learning rate, one Adam per layer (at lrBaseBatch, see lrScaling)"),
            new ConfigKey("lrScaling", "none", "how lr follows batchSize: none, sqrt or linear in batchSize / lrBaseBatch"),
            new ConfigKey("lrBaseBatch", "64", "the batch size at which lr applies unscaled"),
            new ConfigKey("lrDecay", "none", "none (constant lr); linear:N - N epochs at lr, then falling linearly to lr/(epochs+1-N) in the last; linear - linear:epochs/2, as Hinton's FF code"),
            new ConfigKey("sync", "every:1", "every:K - each partition takes K optimizer steps of its own between averaging rounds; every:1 is the exact synchronous rule; epoch - one round per epoch"),
            new ConfigKey("beta1", "0.9", "Adam first-moment decay"),
            new ConfigKey("beta2", "0.999", "Adam second-moment decay"),
            new ConfigKey("adamEpsilon", "1e-8", "Adam epsilon"),
            new ConfigKey("negatives", "random", "wrong label of a negative: random (uniform, the notebook's), hard (drawn from a softmax over the network's own label goodness, the paper's) or hard:L (the goodness of the first L layers only; simple model)"),
            new ConfigKey("iterations", "8", "recurrent: synchronous damped updates after the first bottom-up pass"),
            new ConfigKey("damping", "0.3", "recurrent: share of a layer's old state each update keeps"),
            new ConfigKey("scoreIterations", "3-5", "recurrent: iterations (1-based, inclusive) whose goodness scores a label"),
            new ConfigKey("goodness", "mean", "goodness of a layer: mean or sum of its squared activities"),
            new ConfigKey("threshold", "1", "goodness threshold: a number, or width for the layer's width"),
            new ConfigKey("trainLimit", "0", "seeded random subset of training images, 0 for all"),
            new ConfigKey("testLimit", "0", "seeded random subset of test images, 0 for all"),
            new ConfigKey("trainAccuracyImages", "2000", "train accuracy is measured on this many first training images"),
            new ConfigKey("seed", "42", "seed of the subset, initialisation, shuffles and negatives"),
            new ConfigKey("partitions", "0", "partitions of the training data, 0 for Spark's default parallelism"),
            new ConfigKey("checkpointEvery", "1", "write a checkpoint every this many epochs (and after the last); 0: only after the last"),
            new ConfigKey("resume", "false", "continue from the newest complete checkpoint in out"));

    /** Keys of the evaluate command. */
    public static final List<ConfigKey> EVALUATION = List.of(
            new ConfigKey("split", "test", "which images of DATA to evaluate: test or train"),
            new ConfigKey("limit", "0", "seeded random subset of that split, 0 for all"),
            new ConfigKey("seed", "42", "seed of the subset"),
            new ConfigKey("partitions", "0", "partitions, 0 for Spark's default parallelism"),
            new ConfigKey("json", "", "also write the figures as JSON to this path"));

    /** Keys of the predict command. */
    public static final List<ConfigKey> PREDICTION = List.of(
            new ConfigKey("format", "", "csv (one file) or parquet (a dataset); empty: parquet when OUT ends in .parquet, else csv"),
            new ConfigKey("labels", "", "an IDX label file for INPUT: adds a label column and prints the accuracy"),
            new ConfigKey("invert", "false", "PNG input is a dark digit on a light background (MNIST's is light on dark)"),
            new ConfigKey("partitions", "0", "partitions, 0 for Spark's default parallelism"),
            new ConfigKey("overwrite", "false", "replace OUT if it exists"));

    /** Keys of the bench command. */
    public static final List<ConfigKey> BENCH = List.of(
            new ConfigKey("exact", "conf/mnist-simple.properties", "the headline configuration, trained with the exact rule"),
            new ConfigKey("fast", "conf/mnist-fast.properties", "the fastest documented setting of the same configuration"),
            new ConfigKey("epochs", "5", "epochs of the exact rule's run (the first ones include the JIT warm-up)"),
            new ConfigKey("fastEpochs", "12", "epochs of each run of the fastest setting: a second or two each, enough for a median that a busy moment on the machine does not move"),
            new ConfigKey("scalingEpochs", "12", "epochs per partition count in the 1 vs 2 comparison, in four alternating runs"),
            new ConfigKey("paper", "true", "also train the paper-scale network (4x2000, full MNIST) for one epoch"),
            new ConfigKey("recurrent", "conf/mnist-recurrent.properties", "the recurrent model's configuration, trained with random and with hard negatives"),
            new ConfigKey("recurrentEpochs", "2", "epochs of each recurrent run; 0 leaves the recurrent model out"),
            new ConfigKey("out", "target/bench", "where the runs write their output"));

    public static Map<String, ConfigKey> byName(List<ConfigKey> keys) {
        return keys.stream().collect(Collectors.toMap(ConfigKey::name, k -> k, (a, b) -> a,
                java.util.LinkedHashMap::new));
    }
}
