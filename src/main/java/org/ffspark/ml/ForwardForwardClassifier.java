package org.ffspark.ml;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.ffspark.FfsparkException;
import org.ffspark.config.ConfigKey;
import org.ffspark.config.Settings;
import org.ffspark.config.TrainingConfigs;
import org.ffspark.data.DataBlock;
import org.ffspark.data.LabeledImages;
import org.ffspark.model.FFNetwork;
import org.ffspark.train.DistributedTrainer;
import org.ffspark.train.TrainingConfig;
import org.ffspark.train.TrainingData;

/**
 * Forward-Forward classifier for Spark ML: an Estimator whose {@code fit} trains the simple FF network
 * with the same distributed trainer, optimizer and validation as {@code submit/train.sh}.
 *
 * <p>Input: a {@code features} vector column of pixels scaled to [0, 1] (784 for MNIST) and a
 * {@code label} column holding class indices 0..9. Every training key of the command line that is a
 * hyper-parameter is a Param here with the same name, default and validation; a value the command
 * line would refuse is refused by {@code fit} with the same message. While fitting, the accuracy on
 * the first {@code trainAccuracyImages} training rows is measured each epoch
 * ({@link ForwardForwardClassificationModel#trainingAccuracy()}).
 */
public final class ForwardForwardClassifier
        extends ProbabilisticClassifier<Vector, ForwardForwardClassifier, ForwardForwardClassificationModel>
        implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final IntArrayParam hidden;
    private final Param<String> model;
    private final Param<String> negatives;
    private final IntParam iterations;
    private final DoubleParam damping;
    private final Param<String> scoreIterations;
    private final IntParam epochs;
    private final IntParam batchSize;
    private final DoubleParam lr;
    private final Param<String> lrScaling;
    private final IntParam lrBaseBatch;
    private final Param<String> lrDecay;
    private final Param<String> sync;
    private final DoubleParam beta1;
    private final DoubleParam beta2;
    private final DoubleParam adamEpsilon;
    private final Param<String> goodness;
    private final Param<String> threshold;
    private final IntParam trainAccuracyImages;
    private final LongParam seed;
    private final IntParam partitions;

    public ForwardForwardClassifier() {
        this(Identifiable$.MODULE$.randomUID("ffc"));
    }

    public ForwardForwardClassifier(String uid) {
        this(ConstructionUid.hold(uid));
    }

    private ForwardForwardClassifier(ConstructionUid.Token token) {
        this.uid = ConstructionUid.take(token);
        hidden = new IntArrayParam(this, "hidden", doc("hidden"),
                (int[] widths) -> widths.length > 0 && IntStream.of(widths).allMatch(w -> w > 0));
        model = new Param<>(this, "model", doc("model"),
                ParamValidators.inArray(new String[] {"simple", "recurrent"}));
        negatives = new Param<>(this, "negatives", doc("negatives"),
                (String value) -> value.matches("random|hard|hard:[1-9][0-9]{0,5}"));
        iterations = new IntParam(this, "iterations", doc("iterations"), ParamValidators.gtEq(1));
        damping = new DoubleParam(this, "damping", doc("damping"), ParamValidators.inRange(0, 1, true, false));
        scoreIterations = new Param<>(this, "scoreIterations", doc("scoreIterations"));
        epochs = new IntParam(this, "epochs", doc("epochs"), ParamValidators.gtEq(1));
        batchSize = new IntParam(this, "batchSize", doc("batchSize"), ParamValidators.gtEq(1));
        lr = new DoubleParam(this, "lr", doc("lr"), ParamValidators.gt(0));
        lrScaling = new Param<>(this, "lrScaling", doc("lrScaling"),
                ParamValidators.inArray(new String[] {"none", "sqrt", "linear"}));
        lrBaseBatch = new IntParam(this, "lrBaseBatch", doc("lrBaseBatch"), ParamValidators.gtEq(1));
        lrDecay = new Param<>(this, "lrDecay", doc("lrDecay"));
        sync = new Param<>(this, "sync", doc("sync"));
        beta1 = new DoubleParam(this, "beta1", doc("beta1"), ParamValidators.inRange(0, 1));
        beta2 = new DoubleParam(this, "beta2", doc("beta2"), ParamValidators.inRange(0, 1));
        adamEpsilon = new DoubleParam(this, "adamEpsilon", doc("adamEpsilon"), ParamValidators.gt(0));
        goodness = new Param<>(this, "goodness", doc("goodness"),
                ParamValidators.inArray(new String[] {"mean", "sum"}));
        threshold = new Param<>(this, "threshold", doc("threshold"));
        trainAccuracyImages = new IntParam(this, "trainAccuracyImages", doc("trainAccuracyImages"),
                ParamValidators.gtEq(1));
        seed = new LongParam(this, "seed", doc("seed"));
        partitions = new IntParam(this, "partitions", doc("partitions"), ParamValidators.gtEq(0));

        setDefault(hidden, widths(defaultOf("hidden")));
        setDefault(model, defaultOf("model"));
        setDefault(negatives, defaultOf("negatives"));
        setDefault(iterations, Integer.parseInt(defaultOf("iterations")));
        setDefault(damping, Double.parseDouble(defaultOf("damping")));
        setDefault(scoreIterations, defaultOf("scoreIterations"));
        setDefault(epochs, Integer.parseInt(defaultOf("epochs")));
        setDefault(batchSize, Integer.parseInt(defaultOf("batchSize")));
        setDefault(lr, Double.parseDouble(defaultOf("lr")));
        setDefault(lrScaling, defaultOf("lrScaling"));
        setDefault(lrBaseBatch, Integer.parseInt(defaultOf("lrBaseBatch")));
        setDefault(lrDecay, defaultOf("lrDecay"));
        setDefault(sync, defaultOf("sync"));
        setDefault(beta1, Double.parseDouble(defaultOf("beta1")));
        setDefault(beta2, Double.parseDouble(defaultOf("beta2")));
        setDefault(adamEpsilon, Double.parseDouble(defaultOf("adamEpsilon")));
        setDefault(goodness, defaultOf("goodness"));
        setDefault(threshold, defaultOf("threshold"));
        setDefault(trainAccuracyImages, Integer.parseInt(defaultOf("trainAccuracyImages")));
        setDefault(seed, Long.parseLong(defaultOf("seed")));
        setDefault(partitions, Integer.parseInt(defaultOf("partitions")));
    }

    /** The training keys that are Params, in the order the command line lists them. */
    public static final List<String> PARAM_KEYS = List.of("hidden", "model", "epochs", "batchSize", "lr",
            "lrScaling", "lrBaseBatch", "lrDecay", "sync", "beta1", "beta2", "adamEpsilon", "goodness", "threshold",
            "negatives", "iterations", "damping", "scoreIterations", "trainAccuracyImages", "seed", "partitions");

    private static ConfigKey key(String name) {
        return ConfigKey.TRAINING.stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow();
    }

    private static String doc(String name) {
        return key(name).meaning();
    }

    private static String defaultOf(String name) {
        return key(name).defaultValue();
    }

    private static int[] widths(String text) {
        return java.util.Arrays.stream(text.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    }

    @Override
    public String uid() {
        return uid != null ? uid : ConstructionUid.pending();
    }

    @Override
    public ForwardForwardClassifier copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<ForwardForwardClassifier> read() {
        return new DefaultParamsReader<>();
    }

    public static ForwardForwardClassifier load(String path) {
        return read().load(path);
    }

    /** The training configuration these Params describe, checked by the command line's own rules. */
    TrainingConfig trainingConfig() {
        List<String> arguments = new ArrayList<>();
        arguments.add("hidden=" + IntStream.of($(hidden)).mapToObj(Integer::toString).collect(Collectors.joining(",")));
        for (String name : PARAM_KEYS.subList(1, PARAM_KEYS.size())) {
            arguments.add(name + "=" + text(getOrDefault(getParam(name))));
        }
        return TrainingConfigs.from(Settings.parse(null, arguments, ConfigKey.TRAINING));
    }

    private static String text(Object value) {
        return value instanceof Double d ? Double.toString(d) : String.valueOf(value);
    }

    @Override
    public ForwardForwardClassificationModel train(Dataset<?> dataset) {
        TrainingConfig config = trainingConfig();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
        JavaRDD<DataBlock> blocks = null;
        JavaRDD<DataBlock> monitor = null;
        try {
            blocks = FeatureBlocks.of(dataset, getFeaturesCol(), getLabelCol(), config.data().partitions());
            if (blocks.isEmpty()) {
                throw new FfsparkException("the training DataFrame has no rows");
            }
            List<Integer> shape = blocks.map(b -> List.of(b.count(), b.features())).reduce((a, b) -> List.of(
                    a.get(0) + b.get(0), Math.max(a.get(1), b.get(1))));
            int count = shape.get(0);
            int features = shape.get(1);
            int monitored = Math.min(count, config.data().trainAccuracyImages());
            monitor = FeatureBlocks.head(blocks, monitored).cache();
            TrainingData data = new TrainingData(blocks, count, monitor, sc.emptyRDD(), 0);
            FFNetwork initial = config.initialNetwork(features, LabeledImages.CLASSES);
            DistributedTrainer.Result result = new DistributedTrainer(sc, "fit " + uid + " ", () -> false)
                    .train(config, initial, data, List.of(), null);
            double[] accuracy = result.epochs().stream().mapToDouble(e -> e.trainAccuracy()).toArray();
            ForwardForwardClassificationModel model = new ForwardForwardClassificationModel(uid, result.network(),
                    accuracy);
            return copyValues(model.setParent(this), ParamMap.empty());
        } catch (Exception e) { // Spark's task failures are checked exceptions, thrown undeclared
            throw userError(e);
        } finally {
            if (monitor != null) {
                monitor.unpersist(false);
            }
            if (blocks != null) {
                blocks.unpersist(false);
            }
        }
    }

    /** An executor's refusal of the data arrives wrapped in Spark's task failure: surface its message. */
    private static RuntimeException userError(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FfsparkException f) {
                return f == e ? f : new FfsparkException(f.getMessage(), e);
            }
        }
        return e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
    }

    public IntArrayParam hidden() {
        return hidden;
    }

    public Param<String> model() {
        return model;
    }

    public Param<String> lrDecay() {
        return lrDecay;
    }

    public Param<String> negatives() {
        return negatives;
    }

    public IntParam iterations() {
        return iterations;
    }

    public DoubleParam damping() {
        return damping;
    }

    public Param<String> scoreIterations() {
        return scoreIterations;
    }

    public IntParam epochs() {
        return epochs;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public DoubleParam lr() {
        return lr;
    }

    public Param<String> lrScaling() {
        return lrScaling;
    }

    public IntParam lrBaseBatch() {
        return lrBaseBatch;
    }

    public Param<String> sync() {
        return sync;
    }

    public DoubleParam beta1() {
        return beta1;
    }

    public DoubleParam beta2() {
        return beta2;
    }

    public DoubleParam adamEpsilon() {
        return adamEpsilon;
    }

    public Param<String> goodness() {
        return goodness;
    }

    public Param<String> threshold() {
        return threshold;
    }

    public IntParam trainAccuracyImages() {
        return trainAccuracyImages;
    }

    public LongParam seed() {
        return seed;
    }

    public IntParam partitions() {
        return partitions;
    }

    public ForwardForwardClassifier setHidden(int... value) {
        return (ForwardForwardClassifier) set(hidden, value);
    }

    /** {@code simple} or {@code recurrent}. */
    public ForwardForwardClassifier setModel(String value) {
        return (ForwardForwardClassifier) set(model, value);
    }

    /** {@code none}, {@code linear} or {@code linear:N}. */
    public ForwardForwardClassifier setLrDecay(String value) {
        return (ForwardForwardClassifier) set(lrDecay, value);
    }

    /** {@code random} or {@code hard}. */
    public ForwardForwardClassifier setNegatives(String value) {
        return (ForwardForwardClassifier) set(negatives, value);
    }

    public ForwardForwardClassifier setIterations(int value) {
        return (ForwardForwardClassifier) set(iterations, value);
    }

    public ForwardForwardClassifier setDamping(double value) {
        return (ForwardForwardClassifier) set(damping, value);
    }

    /** The recurrent model's scoring window, {@code FIRST-LAST} (1-based iterations). */
    public ForwardForwardClassifier setScoreIterations(String value) {
        return (ForwardForwardClassifier) set(scoreIterations, value);
    }

    public ForwardForwardClassifier setEpochs(int value) {
        return (ForwardForwardClassifier) set(epochs, value);
    }

    public ForwardForwardClassifier setBatchSize(int value) {
        return (ForwardForwardClassifier) set(batchSize, value);
    }

    public ForwardForwardClassifier setLr(double value) {
        return (ForwardForwardClassifier) set(lr, value);
    }

    public ForwardForwardClassifier setLrScaling(String value) {
        return (ForwardForwardClassifier) set(lrScaling, value);
    }

    public ForwardForwardClassifier setLrBaseBatch(int value) {
        return (ForwardForwardClassifier) set(lrBaseBatch, value);
    }

    public ForwardForwardClassifier setSync(String value) {
        return (ForwardForwardClassifier) set(sync, value);
    }

    public ForwardForwardClassifier setBeta1(double value) {
        return (ForwardForwardClassifier) set(beta1, value);
    }

    public ForwardForwardClassifier setBeta2(double value) {
        return (ForwardForwardClassifier) set(beta2, value);
    }

    public ForwardForwardClassifier setAdamEpsilon(double value) {
        return (ForwardForwardClassifier) set(adamEpsilon, value);
    }

    public ForwardForwardClassifier setGoodness(String value) {
        return (ForwardForwardClassifier) set(goodness, value);
    }

    /** A number, or {@code width} for the notebook's rule (each layer's width). */
    public ForwardForwardClassifier setThreshold(String value) {
        return (ForwardForwardClassifier) set(threshold, value);
    }

    public ForwardForwardClassifier setTrainAccuracyImages(int value) {
        return (ForwardForwardClassifier) set(trainAccuracyImages, value);
    }

    public ForwardForwardClassifier setSeed(long value) {
        return (ForwardForwardClassifier) set(seed, value);
    }

    public ForwardForwardClassifier setPartitions(int value) {
        return (ForwardForwardClassifier) set(partitions, value);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ForwardForwardClassifier: uid=%s", uid);
    }
}
