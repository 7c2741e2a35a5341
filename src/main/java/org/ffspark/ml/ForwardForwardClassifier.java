package org.ffspark.ml;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.ffspark.FfsparkException;
import org.ffspark.config.TrainingConfigReader;
import org.ffspark.train.TrainingConfig;

/**
 * Forward-Forward classifier for Spark ML: an Estimator whose {@code fit} trains an FF network with the
 * same distributed trainer, optimizers and validation as {@code submit/train.sh}.
 *
 * <p>Input: a vector column {@code featuresCol} of any finite values (the first layer normalises its
 * input) and a numeric column {@code labelCol} of class indices; the classes are the label column's
 * metadata (as StringIndexer writes it), else the largest label plus one. Every training key a user
 * tunes is a Param with the key's default and checks ({@link FFParams}); a value the command line
 * would refuse is refused by {@code fit} with the same message under the Param's name. The fitted model
 * carries the same Params, a training summary, and a softmax temperature fitted on the monitored rows.
 */
public final class ForwardForwardClassifier
        extends ProbabilisticClassifier<Vector, ForwardForwardClassifier, ForwardForwardClassificationModel>
        implements FFParams, DefaultParamsWritable {
    private static final long serialVersionUID = 2L;
    private static final Logger LOG = LogManager.getLogger(ForwardForwardClassifier.class);

    private final String uid;
    private final Map<String, Param<?>> params;
    private final DoubleParam calibrationFraction;

    public ForwardForwardClassifier() {
        this(Identifiable$.MODULE$.randomUID("ffc"));
    }

    public ForwardForwardClassifier(String uid) {
        this(ConstructionUid.hold(uid));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private ForwardForwardClassifier(ConstructionUid.Token token) {
        this.uid = ConstructionUid.take(token);
        this.params = ParamTable.create(uid);
        ParamTable.defaults(params).forEach((p, v) -> setDefault((Param) p, v));
        this.calibrationFraction = new DoubleParam(uid, "calibrationFraction", "the seeded fraction of the rows "
                + "held out of training, on which the softmax temperature is fitted and the calibration error "
                + "measured (0: train on every row, temperature 1)", ParamValidators.inRange(0, 0.5));
        setDefault(calibrationFraction, 0.1);
    }

    /** The rows held out for the temperature: a seeded fraction, never trained on. */
    public DoubleParam calibrationFraction() {
        return calibrationFraction;
    }

    public double getCalibrationFraction() {
        return (Double) getOrDefault(calibrationFraction);
    }

    public ForwardForwardClassifier setCalibrationFraction(double value) {
        return with(calibrationFraction, value);
    }

    @Override
    public Map<String, Param<?>> ffParams() {
        return params;
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
        TrainingConfig config = TrainingConfigReader.from(ParamTable.settings(this, params));
        if (config.model().equals("mlp")) {
            throw new FfsparkException("model mlp is not a Forward-Forward model: this estimator trains simple or "
                    + "recurrent; MLlib's MultilayerPerceptronClassifier is the backpropagation twin");
        }
        return config;
    }

    @Override
    public ForwardForwardClassificationModel train(Dataset<?> dataset) {
        TrainingConfig config = trainingConfig();
        LOG.info("{}: fitting with {}", uid, params.values().stream()
                .map(p -> p.name() + "=" + getOrDefault(p)).collect(Collectors.joining(", ")));
        FrameFit.Fitted fitted = FrameFit.fit(dataset, config, getFeaturesCol(), getLabelCol(),
                getCalibrationFraction(), uid);
        ForwardForwardClassificationModel model = new ForwardForwardClassificationModel(uid, fitted.network(),
                fitted.summary());
        model.setTemperature(fitted.summary().temperature());
        return copyValues(model.setParent(this), ParamMap.empty());
    }

    private ForwardForwardClassifier with(Param<?> param, Object value) {
        @SuppressWarnings({"unchecked", "rawtypes"})
        ForwardForwardClassifier self = (ForwardForwardClassifier) set((Param) param, value);
        return self;
    }

    /** The hidden layers' widths, e.g. {@code setHidden(500, 500)}. */
    public ForwardForwardClassifier setHidden(int... widths) {
        return with(hidden(), IntStream.of(widths).mapToObj(Integer::toString).collect(Collectors.joining(",")));
    }

    /** The hidden layers' widths as the {@code hidden} key writes them, e.g. {@code "500,500"}. */
    public ForwardForwardClassifier setHidden(String widths) {
        return with(hidden(), widths);
    }

    /** {@code simple} or {@code recurrent}. */
    public ForwardForwardClassifier setModel(String value) {
        return with(model(), value);
    }

    /** Epochs: passes over the training data. */
    public ForwardForwardClassifier setMaxIter(int value) {
        return with(maxIter(), value);
    }

    public ForwardForwardClassifier setBatchSize(int value) {
        return with(batchSize(), value);
    }

    /** The layers' learning rate. */
    public ForwardForwardClassifier setStepSize(double value) {
        return with(stepSize(), value);
    }

    public ForwardForwardClassifier setSeed(long value) {
        return with(seed(), value);
    }

    /** {@code mean} or {@code sum} of squares. */
    public ForwardForwardClassifier setGoodness(String value) {
        return with(goodness(), value);
    }

    /** The goodness threshold: a number, or {@code width} for each layer's width. */
    public ForwardForwardClassifier setGoodnessThreshold(String value) {
        return with(goodnessThreshold(), value);
    }

    public ForwardForwardClassifier setGoodnessThreshold(double value) {
        return with(goodnessThreshold(), Double.toString(value));
    }

    /** {@code length} or {@code rms}. */
    public ForwardForwardClassifier setNorm(String value) {
        return with(norm(), value);
    }

    public ForwardForwardClassifier setScoreFrom(int value) {
        return with(scoreFrom(), value);
    }

    /** {@code none}, {@code local} or {@code logistic}. */
    public ForwardForwardClassifier setReadout(String value) {
        return with(readout(), value);
    }

    /** {@code goodness} or {@code readout}. */
    public ForwardForwardClassifier setClassifier(String value) {
        return with(classifier(), value);
    }

    public ForwardForwardClassifier setIterations(int value) {
        return with(iterations(), value);
    }

    public ForwardForwardClassifier setDamping(double value) {
        return with(damping(), value);
    }

    /** The recurrent model's scoring window, {@code FIRST-LAST} (1-based iterations). */
    public ForwardForwardClassifier setScoreIterations(String value) {
        return with(scoreIterations(), value);
    }

    /** {@code adam} or {@code sgd}. */
    public ForwardForwardClassifier setOptimizer(String value) {
        return with(optimizer(), value);
    }

    public ForwardForwardClassifier setLrScaling(String value) {
        return with(lrScaling(), value);
    }

    public ForwardForwardClassifier setLrBaseBatch(int value) {
        return with(lrBaseBatch(), value);
    }

    /** {@code none}, {@code linear} or {@code linear:N}. */
    public ForwardForwardClassifier setLrDecay(String value) {
        return with(lrDecay(), value);
    }

    public ForwardForwardClassifier setBeta1(double value) {
        return with(beta1(), value);
    }

    public ForwardForwardClassifier setBeta2(double value) {
        return with(beta2(), value);
    }

    public ForwardForwardClassifier setAdamEpsilon(double value) {
        return with(adamEpsilon(), value);
    }

    public ForwardForwardClassifier setMomentum(double value) {
        return with(momentum(), value);
    }

    public ForwardForwardClassifier setWeightDecay(double value) {
        return with(weightDecay(), value);
    }

    public ForwardForwardClassifier setPeerNorm(double value) {
        return with(peerNorm(), value);
    }

    public ForwardForwardClassifier setProducts(String value) {
        return with(products(), value);
    }

    public ForwardForwardClassifier setReadoutStepSize(double value) {
        return with(readoutStepSize(), value);
    }

    public ForwardForwardClassifier setReadoutWeightDecay(double value) {
        return with(readoutWeightDecay(), value);
    }

    /** {@code random}, {@code hard}, {@code hard:L} or {@code readout}. */
    public ForwardForwardClassifier setNegatives(String value) {
        return with(negatives(), value);
    }

    /** {@code every:K} or {@code epoch}. */
    public ForwardForwardClassifier setSync(String value) {
        return with(sync(), value);
    }

    /** Partitions of the training data; 0 keeps the DataFrame's own. */
    public ForwardForwardClassifier setPartitions(int value) {
        return with(partitions(), value);
    }

    public ForwardForwardClassifier setTrainAccuracyImages(int value) {
        return with(trainAccuracyImages(), value);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ForwardForwardClassifier: uid=%s, hidden=%s", uid(), getHidden());
    }
}
