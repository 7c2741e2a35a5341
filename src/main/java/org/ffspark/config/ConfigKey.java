package org.ffspark.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One configuration key: its name, default ("" for none), the values it accepts, what it means, where
 * it belongs, and whether it changes what a run trains. The key tables below are the single source of
 * the parser's known keys, the resume fingerprint, {@code --keys}, the configuration reference in
 * {@code docs/configuration.md} and the Spark ML Params.
 *
 * @param allowed  the accepted values, as a person reads them
 * @param example  a valid value other than the default, for the reference and the tests
 * @param models   the models the key applies to
 * @param mlParam  the name of the Spark ML Param carrying the key, or "" when the estimator has none
 * @param mlType   the Param's value type
 * @param path     whether the value is a path: relative ones in a config file are taken from the file's
 *                 folder, on the command line and in the defaults from the working folder
 */
public record ConfigKey(String name, String defaultValue, String allowed, String meaning, Section section,
                        Effect effect, String example, Models models, String mlParam, MlType mlType, boolean path) {

    /** Where a key belongs: groups the reference. */
    public enum Section {
        DATA("Data"), MODEL("Model"), TRAINING("Training"), EVALUATION("Evaluation"), OUTPUT("Output and resume");

        private final String title;

        Section(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }
    }

    /** Whether a key changes what is trained. */
    public enum Effect {
        /** Changes the trained network or its figures: a checkpoint resumes only under the same value. */
        TRAJECTORY,
        /** Where and how the run happens: free to change between a run and its resumption. */
        RUN
    }

    /** The models a key applies to. */
    public enum Models {
        /** Every model, the backpropagation twin ({@code model=mlp}) included. */
        ALL,
        /** The Forward-Forward models, {@code simple} and {@code recurrent}: not the twin. */
        FF,
        SIMPLE,
        RECURRENT;

        public boolean includes(String model) {
            return switch (this) {
                case ALL -> true;
                case FF -> !model.equals("mlp");
                default -> name().equalsIgnoreCase(model);
            };
        }

        /** The models, as a sentence names them. */
        public String text() {
            return switch (this) {
                case ALL -> "every model";
                case FF -> "model=simple and model=recurrent";
                default -> "model=" + name().toLowerCase(Locale.ROOT);
            };
        }
    }

    /** The value type of a key's Spark ML Param. */
    public enum MlType { NONE, INT, LONG, DOUBLE, STRING }

    /** Every training key, grouped by section. */
    /** The keys of local steps (sync=local, local:K), idle under the other sync modes. */
    public static final List<String> LOCAL_STEP_KEYS = List.of("outerOptimizer", "outerLr", "outerMomentum",
            "innerState", "localWarmup", "deltaPrecision");

    public static final List<ConfigKey> TRAINING = List.of(
            key("data", "data/mnist").section(Section.DATA).run().path().example("hdfs:///datasets/mnist")
                    .allowed("a directory on any Hadoop file system (file:, hdfs:, s3a:)")
                    .meaning("directory holding the four IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, "
                            + "t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each plain or .gz)"),
            key("dataFormat", "idx").section(Section.DATA).run().example("libsvm").allowed("idx, libsvm, parquet")
                    .meaning("what data holds: idx, MNIST's four files; libsvm, a LIBSVM file (or folder) of training "
                            + "samples; parquet, a Parquet dataset with a vector column and a label column. For libsvm "
                            + "and parquet, data is the training set and testData the test set; labels must be class "
                            + "indices 0, 1, 2, ..."),
            key("testData", "").section(Section.DATA).run().path().example("/data/my-test.libsvm")
                    .allowed("a path on any Hadoop file system")
                    .meaning("the test set of dataFormat=libsvm or parquet"),
            key("featuresCol", "features").section(Section.DATA).run().example("pixels").allowed("a column name")
                    .meaning("the vector column of dataFormat=parquet"),
            key("labelCol", "label").section(Section.DATA).run().example("digit").allowed("a column name")
                    .meaning("the label column of dataFormat=parquet"),
            key("data.trainImages", "").section(Section.DATA).run().path().example("/data/my-train-images.gz")
                    .allowed("a file path").meaning("the training images named alone; the four data.* keys go "
                            + "together and replace data"),
            key("data.trainLabels", "").section(Section.DATA).run().path().example("/data/my-train-labels.gz")
                    .allowed("a file path").meaning("the training labels (with the other data.* keys)"),
            key("data.testImages", "").section(Section.DATA).run().path().example("/data/my-test-images.gz")
                    .allowed("a file path").meaning("the test images (with the other data.* keys)"),
            key("data.testLabels", "").section(Section.DATA).run().path().example("/data/my-test-labels.gz")
                    .allowed("a file path").meaning("the test labels (with the other data.* keys)"),
            key("trainLimit", "0").section(Section.DATA).example("20000").allowed("0 or a count")
                    .meaning("a seeded random subset of this many training images (0: all); drawn as PyTorch's "
                            + "randperm under the seed draws it"),
            key("testLimit", "0").section(Section.DATA).example("2000").allowed("0 or a count")
                    .meaning("a seeded random subset of this many test images (0: all)"),
            key("seed", "42").section(Section.DATA).example("7").allowed("a whole number").ml("seed", MlType.LONG)
                    .meaning("seeds the subsets, the initialisation, the shuffles and the negatives"),

            key("model", "simple").section(Section.MODEL).example("recurrent").allowed("simple, recurrent, mlp")
                    .ml("model", MlType.STRING).meaning("simple: Hinton's feed-forward FF network; recurrent: the paper's "
                            + "section-5 network (bidirectional layers, the label clamped on top, damped iterations); "
                            + "mlp: the same hidden sizes trained by backpropagation (Spark MLlib's "
                            + "MultilayerPerceptronClassifier, L-BFGS for epochs iterations), the FF network's twin in "
                            + "grids"),
            key("hidden", "500,500").section(Section.MODEL).example("2000,2000,2000,2000")
                    .allowed("widths from 1 to 65536, comma-separated").ml("hidden", MlType.STRING)
                    .meaning("the hidden layers' widths"),
            key("goodness", "mean").section(Section.MODEL).models(Models.FF).example("sum").allowed("mean, sum").ml("goodness", MlType.STRING)
                    .meaning("a layer's goodness: the mean or the sum of its squared activities"),
            key("threshold", "1").section(Section.MODEL).models(Models.FF).example("width").allowed("a number >= 0, or width")
                    .ml("goodnessThreshold", MlType.STRING)
                    .meaning("the goodness that separates positive from negative data; width: each layer's width "
                            + "(the notebook's rule with goodness=mean)"),
            key("norm", "length").section(Section.MODEL).models(Models.SIMPLE).example("rms").allowed("length, rms")
                    .ml("norm", MlType.STRING).meaning("how each layer's input is normalised: length divides by its length (the "
                            + "notebook's), rms by its root mean square (entries of order 1 whatever the width)"),
            key("scoreFrom", "1").section(Section.MODEL).models(Models.SIMPLE).example("2")
                    .allowed("a layer, 1 to the number of layers").ml("scoreFrom", MlType.INT)
                    .meaning("the first layer (1-based) whose goodness classifies and that feeds the readout; the "
                            + "paper leaves out the first: 2"),
            key("readout", "none").section(Section.MODEL).models(Models.SIMPLE).example("local")
                    .allowed("none, local, logistic").ml("readout", MlType.STRING)
                    .meaning("a linear softmax on the normalised activities of the layers from scoreFrom, fed by one "
                            + "pass with a neutral label (0.1 on each label unit): local trains it alongside the "
                            + "layers, its input detached; logistic fits it after training with MLlib's multinomial "
                            + "LogisticRegression on the frozen activities"),
            key("classifier", "goodness").section(Section.MODEL).models(Models.SIMPLE).example("readout")
                    .allowed("goodness, readout").ml("classifier", MlType.STRING)
                    .meaning("how the model predicts: goodness runs every label and takes the best (one pass per "
                            + "label); readout takes the readout's best label from one neutral pass"),
            key("iterations", "8").section(Section.MODEL).models(Models.RECURRENT).example("10")
                    .allowed("1 to 1000").ml("iterations", MlType.INT)
                    .meaning("synchronous damped updates after the first bottom-up pass"),
            key("damping", "0.3").section(Section.MODEL).models(Models.RECURRENT).example("0.5")
                    .allowed("a number >= 0 and < 1").ml("damping", MlType.DOUBLE)
                    .meaning("the share of a layer's old state each update keeps"),
            key("scoreIterations", "3-5").section(Section.MODEL).models(Models.RECURRENT).example("2-6")
                    .allowed("FIRST-LAST within the iterations").ml("scoreIterations", MlType.STRING)
                    .meaning("the iterations (1-based, inclusive) whose goodness scores a label"),

            key("epochs", "60").section(Section.TRAINING).run().example("100").allowed("1 to 100000").ml("maxIter", MlType.INT)
                    .meaning("passes over the training data (may be raised when resuming)"),
            key("batchSize", "64").section(Section.TRAINING).models(Models.FF).example("100").allowed("1 to 1048576")
                    .ml("batchSize", MlType.INT).meaning("positive samples per optimizer step (each gets one negative)"),
            key("optimizer", "adam").section(Section.TRAINING).models(Models.FF).example("sgd").allowed("adam, sgd")
                    .ml("optimizer", MlType.STRING).meaning("each layer's optimizer: adam (PyTorch's arithmetic) or sgd with "
                            + "momentum"),
            key("lr", "0.03").section(Section.TRAINING).models(Models.FF).example("0.001").allowed("a number > 0").ml("stepSize", MlType.DOUBLE)
                    .meaning("the layers' learning rate (at lrBaseBatch, see lrScaling)"),
            key("lrScaling", "none").section(Section.TRAINING).models(Models.FF).example("sqrt").allowed("none, sqrt, linear")
                    .ml("lrScaling", MlType.STRING).meaning("how lr follows batchSize: none, or sqrt or linear in batchSize / "
                            + "lrBaseBatch"),
            key("lrBaseBatch", "64").section(Section.TRAINING).models(Models.FF).example("128").allowed("1 to 1048576")
                    .ml("lrBaseBatch", MlType.INT).meaning("the batch size at which lr applies unscaled"),
            key("lrDecay", "none").section(Section.TRAINING).models(Models.FF).example("linear").allowed("none, linear, linear:N")
                    .ml("lrDecay", MlType.STRING).meaning("none: a constant rate; linear:N: N epochs at the full rate, then falling "
                            + "linearly to lr/(epochs+1-N) in the last; linear: linear:epochs/2, as Hinton's FF code"),
            key("beta1", "0.9").section(Section.TRAINING).models(Models.FF).example("0.8").allowed("a number >= 0 and < 1")
                    .ml("beta1", MlType.DOUBLE).meaning("Adam's first-moment decay"),
            key("beta2", "0.999").section(Section.TRAINING).models(Models.FF).example("0.99").allowed("a number >= 0 and < 1")
                    .ml("beta2", MlType.DOUBLE).meaning("Adam's second-moment decay"),
            key("adamEpsilon", "1e-8").section(Section.TRAINING).models(Models.FF).example("1e-6").allowed("a number > 0")
                    .ml("adamEpsilon", MlType.DOUBLE).meaning("Adam's epsilon"),
            key("momentum", "0.9").section(Section.TRAINING).models(Models.FF).example("0.5").allowed("a number >= 0 and < 1")
                    .ml("momentum", MlType.DOUBLE).meaning("sgd's momentum (PyTorch's: the velocity is the decayed sum of "
                            + "gradients)"),
            key("weightDecay", "0").section(Section.TRAINING).models(Models.FF).example("3e-4").allowed("a number >= 0")
                    .ml("weightDecay", MlType.DOUBLE).meaning("L2 weight decay of the layers, added to their gradients as "
                            + "PyTorch's optimizers add it"),
            key("peerNorm", "0").section(Section.TRAINING).models(Models.SIMPLE).example("0.03")
                    .allowed("a number >= 0").ml("peerNorm", MlType.DOUBLE)
                    .meaning("peer normalisation's strength: a penalty pulling each unit's running mean activity "
                            + "(positives, momentum 0.9) towards its layer's mean, so no unit stays dead or always on"),
            key("products", "float32").section(Section.TRAINING).models(Models.SIMPLE).example("bfloat16")
                    .allowed("float32, bfloat16").ml("products", MlType.STRING)
                    .meaning("the precision of training's forward products: bfloat16 rounds both operands to 8 bits "
                            + "of precision and keeps float32 sums (oneDNN; about twice float32's speed on a "
                            + "processor with AVX-512's bfloat16 instructions); gradients, optimizer and "
                            + "evaluation stay float32"),
            key("readoutLr", "0.01").section(Section.TRAINING).models(Models.SIMPLE).example("0.001")
                    .allowed("a number > 0").ml("readoutStepSize", MlType.DOUBLE)
                    .meaning("learning rate of the local readout (its own optimizer, of the kind optimizer names)"),
            key("readoutWeightDecay", "0").section(Section.TRAINING).models(Models.SIMPLE).example("3e-3")
                    .allowed("a number >= 0").ml("readoutWeightDecay", MlType.DOUBLE)
                    .meaning("L2 weight decay of the local readout, or the regularisation of the logistic one"),
            key("negatives", "random").section(Section.TRAINING).models(Models.FF).example("hard")
                    .allowed("random, hard, hard:L, readout").ml("negatives", MlType.STRING)
                    .meaning("a negative's wrong label: random (uniform, the notebook's); hard (drawn from a "
                            + "softmax over the network's own label goodness, the paper's); hard:L (the goodness of "
                            + "the first L layers, simple model); readout (from the local readout's softmax, with "
                            + "readout=local)"),
            key("sync", "every:1").section(Section.TRAINING).models(Models.FF).example("local").allowed("every:K, epoch, local:K, local")
                    .ml("sync", MlType.STRING)
                    .meaning("every:K: each partition takes K optimizer steps of its own on its members of the epoch's "
                            + "batches between averaging rounds (every:1 is the exact synchronous rule); epoch: one "
                            + "round per epoch; local:K: local steps, each partition walking its own share of the "
                            + "epoch in full batches (about n/N steps an epoch for N partitions) and the copies merged "
                            + "by outerOptimizer every K steps; local: merged at the end of each epoch"),
            key("outerOptimizer", "nesterov").section(Section.TRAINING).models(Models.FF).example("average").allowed("average, nesterov")
                    .meaning("how sync=local merges the copies: average takes their average; nesterov takes a "
                            + "Nesterov momentum step (outerLr, outerMomentum) along their averaged change"),
            key("outerLr", "0.7").section(Section.TRAINING).models(Models.FF).example("1.0").allowed("a number > 0")
                    .meaning("the rate of outerOptimizer=nesterov's step"),
            key("outerMomentum", "0.9").section(Section.TRAINING).models(Models.FF).example("0.8").allowed("a number >= 0 and < 1")
                    .meaning("the momentum of outerOptimizer=nesterov"),
            key("localWarmup", "1").section(Section.TRAINING).models(Models.FF).example("2").allowed("0 to 100000")
                    .meaning("the first epochs of sync=local trained as one copy: a single task walks each epoch in "
                            + "full (every partition's blocks, as partitions=1 would) before the copies start; large "
                            + "steps of averaged copies from a fresh network overshoot"),
            key("deltaPrecision", "bfloat16").section(Section.TRAINING).models(Models.FF).example("float32")
                    .allowed("bfloat16, float32")
                    .meaning("how sync=local's copies, past 8 partitions, send their round's changes for averaging: "
                            + "bfloat16, half the bytes (each change rounded to 8 bits of precision), or float32, "
                            + "their values whole"),
            key("innerState", "reset").section(Section.TRAINING).models(Models.FF).example("average").allowed("average, reset")
                    .meaning("each partition's optimizer state at the start of a round of sync=local: average, the "
                            + "copies' averaged state; reset, a fresh optimizer each round (nothing of it crosses "
                            + "the wire)"),
            key("partitions", "0").section(Section.TRAINING).example("4").allowed("0 to 65536").ml("partitions", MlType.INT)
                    .meaning("partitions of the training data (0: Spark's default parallelism)"),
            key("threads", "1").section(Section.TRAINING).models(Models.FF).run().example("2").allowed("1 to 64")
                    .meaning("cores each partition's task uses for its matrix products (sets spark.task.cpus): "
                            + "partitions=1 threads=2 trains by the exact rule on two cores; the results do not "
                            + "depend on it"),

            key("trainAccuracyImages", "2000").section(Section.EVALUATION).models(Models.FF).example("1000").allowed("1 or more")
                    .ml("trainAccuracyImages", MlType.INT).meaning("train accuracy is measured on this many first training "
                            + "images"),
            key("evalEvery", "1").section(Section.EVALUATION).models(Models.FF).run().example("10").allowed("1 to 100000")
                    .meaning("measure the accuracies every this many epochs and after the last (the paper-scale "
                            + "network's evaluation costs a third of its epoch)"),

            key("out", "target/ffspark-out").section(Section.OUTPUT).run().path().example("s3a://bucket/runs/one")
                    .allowed("a directory on any Hadoop file system")
                    .meaning("where metrics.jsonl, summary.json, model.ffm, report/ and checkpoints/ go"),
            key("overwrite", "false").section(Section.OUTPUT).run().example("true").allowed("true, false")
                    .meaning("replace the results of an earlier run in out"),
            key("checkpointEvery", "1").section(Section.OUTPUT).models(Models.FF).run().example("5").allowed("0 to 100000")
                    .meaning("write a checkpoint every this many epochs and after the last (0: only after the "
                            + "last)"),
            key("resume", "false").section(Section.OUTPUT).models(Models.FF).run().example("true").allowed("true, false")
                    .meaning("continue from the newest complete checkpoint in out"));

    /** Keys of the evaluate command. */
    public static final List<ConfigKey> EVALUATION = List.of(
            key("split", "test").run().example("train").allowed("test, train")
                    .meaning("which images of DATA to evaluate"),
            key("limit", "0").run().example("2000").allowed("0 or a count")
                    .meaning("a seeded random subset of that split, as trainLimit and testLimit draw it (0: all)"),
            key("seed", "42").run().example("7").allowed("a whole number").meaning("seed of the subset"),
            key("classifier", "").run().example("goodness").allowed("goodness, readout, or empty")
                    .meaning("how to predict (empty: as the model was trained to)"),
            key("partitions", "0").run().example("4").allowed("0 to 65536")
                    .meaning("partitions (0: Spark's default parallelism)"),
            key("json", "").run().example("target/eval.json").allowed("a file path")
                    .meaning("also write the figures as JSON to this path"));

    /** Keys of the predict command. */
    public static final List<ConfigKey> PREDICTION = List.of(
            key("format", "").run().example("parquet").allowed("csv, parquet, or empty")
                    .meaning("csv (one file) or parquet (a dataset); empty: parquet when OUT ends in .parquet, "
                            + "else csv"),
            key("labels", "").run().example("data/mnist/t10k-labels-idx1-ubyte.gz").allowed("an IDX label file")
                    .meaning("labels of INPUT: adds a label column and prints the accuracy"),
            key("invert", "false").run().example("true").allowed("true, false")
                    .meaning("PNG input is a dark digit on a light background (MNIST's is light on dark)"),
            key("classifier", "").run().example("goodness").allowed("goodness, readout, or empty")
                    .meaning("how to predict (empty: as the model was trained to)"),
            key("partitions", "0").run().example("4").allowed("0 to 65536")
                    .meaning("partitions (0: Spark's default parallelism)"),
            key("overwrite", "false").run().example("true").allowed("true, false")
                    .meaning("replace OUT if it exists"));

    /** Keys of the export command. */
    public static final List<ConfigKey> EXPORT = List.of(
            key("overwrite", "false").run().example("true").allowed("true, false")
                    .meaning("replace OUT if it exists"));

    /**
     * Keys of a grid file of its own (every training key may stand in a grid file as well, shared by all
     * points). {@code grid.point.N} and {@code grid.KEY} stand for families of keys.
     */
    public static final List<ConfigKey> GRID = List.of(
            key("grid.base", "").run().path().example("mnist-notebook.properties").allowed("a training config file")
                    .meaning("the training config every point starts from, relative to the grid file's folder"),
            key("grid.parallelism", "1").run().example("2").allowed("1 to 64")
                    .meaning("points trained at the same time, each as Spark jobs of its own in one application"),
            key("grid.neuronBudget", "0").run().example("26").allowed("0 or a count")
                    .meaning("marks the points with fewer hidden neurons than this in the results and the plot "
                            + "(0: no budget)"),
            key("grid.KEY", "").run().example("grid.hidden = 24; 12,12").allowed("values separated by ';'")
                    .meaning("the values a training key takes; several grid.KEY lists make their cartesian "
                            + "product, the first listed varying slowest"),
            key("grid.point.N", "").run().example("grid.point.1 = hidden=24 lr=0.01")
                    .allowed("training key=value pairs")
                    .meaning("one point, instead of grid.KEY lists; N orders the points"),
            key("out", "target/grid").run().path().example("target/grid-2").allowed("a directory")
                    .meaning("where results.csv, results.md, the plot and every point's own folder are written"));

    /** Keys of the bench command. */
    public static final List<ConfigKey> BENCH = List.of(
            key("exact", "conf/mnist-simple.properties").run().path().example("my.properties").allowed("a config file")
                    .meaning("the headline configuration, trained with the exact rule"),
            key("fast", "conf/mnist-fast.properties").run().path().example("my-fast.properties").allowed("a config file")
                    .meaning("the fastest documented setting of the same configuration"),
            key("epochs", "5").run().example("3").allowed("1 to 100000")
                    .meaning("epochs of the exact rule's run (the first ones include the JIT warm-up)"),
            key("fastEpochs", "12").run().example("6").allowed("1 to 100000")
                    .meaning("epochs of each run of the fastest setting: enough for a median that a busy moment "
                            + "on the machine does not move"),
            key("scalingEpochs", "12").run().example("4").allowed("1 to 100000")
                    .meaning("epochs per partition count in the 1 vs 2 comparison, in four alternating runs"),
            key("paper", "true").run().example("false").allowed("true, false")
                    .meaning("also train the paper-scale network (4x2000, full MNIST) for one epoch"),
            key("recurrent", "conf/mnist-recurrent.properties").run().path().example("my-recurrent.properties")
                    .allowed("a config file")
                    .meaning("the recurrent model's configuration, trained with random and with hard negatives"),
            key("recurrentEpochs", "2").run().example("1").allowed("0 to 100000")
                    .meaning("epochs of each recurrent run; 0 leaves the recurrent model out"),
            key("out", "target/bench").run().path().example("target/bench-2").allowed("a directory")
                    .meaning("where the runs write their output"),
            key("scaling", "").run().example("target/runs/a,target/runs/b").allowed("comma-separated run folders")
                    .meaning("only fit the scaling model to these finished runs (one-executor runs of each master "
                            + "and configuration among them), print each run's measured and predicted epoch and the "
                            + "projection on 1 to 64 executors, and stop"),
            key("scalingImages", "60000").run().example("20000").allowed("1 or more")
                    .meaning("training images an epoch in the scaling projection"),
            key("profile", "conf/mnist-paper.properties").run().path().example("my.properties")
                    .allowed("a config file")
                    .meaning("the configuration whose training step the profile times, section by section"),
            key("profileSteps", "30").run().example("60").allowed("0 to 100000")
                    .meaning("steps the profile measures, after as many to warm up; 0 leaves the profile out"),
            key("profileOnly", "false").run().example("true").allowed("true, false")
                    .meaning("only print the step profile, and stop"),
            key("blas", "current").run().example("compare").allowed("current, compare")
                    .meaning("compare: only measure the bundled OpenBLAS, a system OpenBLAS and the Java BLAS, "
                            + "each in a JVM of its own, and stop"));

    public static Map<String, ConfigKey> byName(List<ConfigKey> keys) {
        Map<String, ConfigKey> map = new LinkedHashMap<>();
        for (ConfigKey k : keys) {
            map.putIfAbsent(k.name(), k);
        }
        return map;
    }

    /**
     * The training settings worth showing for a run of {@code model}: the keys that apply to it and hold
     * a value, in the table's order.
     */
    public static Map<String, String> relevant(String model, Map<String, String> settings) {
        Map<String, String> shown = new LinkedHashMap<>();
        for (ConfigKey key : TRAINING) {
            String value = settings.get(key.name());
            if (key.models().includes(model) && value != null && !value.isEmpty()) {
                shown.put(key.name(), value);
            }
        }
        return shown;
    }

    /** The training key of that name. */
    public static ConfigKey training(String name) {
        ConfigKey key = byName(TRAINING).get(name);
        if (key == null) {
            throw new IllegalArgumentException("no training key " + name);
        }
        return key;
    }

    private static Builder key(String name, String defaultValue) {
        return new Builder(name, defaultValue);
    }

    /** Spells a key out field by field; {@link #TRAINING} would be unreadable as positional arguments. */
    private static final class Builder {
        private final String name;
        private final String defaultValue;
        private String allowed = "";
        private String example = "";
        private Section section = Section.TRAINING;
        private Effect effect = Effect.TRAJECTORY;
        private Models models = Models.ALL;
        private String mlParam = "";
        private MlType mlType = MlType.NONE;
        private boolean path;

        Builder(String name, String defaultValue) {
            this.name = name;
            this.defaultValue = defaultValue;
        }

        Builder allowed(String text) {
            allowed = text;
            return this;
        }

        Builder example(String value) {
            example = value;
            return this;
        }

        Builder section(Section s) {
            section = s;
            return this;
        }

        Builder run() {
            effect = Effect.RUN;
            return this;
        }

        Builder models(Models m) {
            models = m;
            return this;
        }

        /** A Spark ML Param of that name and type carries the key. */
        Builder ml(String param, MlType type) {
            mlParam = param;
            mlType = type;
            return this;
        }

        Builder path() {
            path = true;
            return this;
        }

        ConfigKey meaning(String text) {
            return new ConfigKey(name, defaultValue, allowed, text, section, effect, example, models, mlParam, mlType,
                    path);
        }
    }
}
