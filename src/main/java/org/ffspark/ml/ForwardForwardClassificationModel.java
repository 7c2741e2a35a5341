package org.ffspark.ml;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.ffspark.FfsparkException;
import org.ffspark.model.FFKernels;
import org.ffspark.model.FFNetwork;
import org.ffspark.store.ModelFile;
import org.ffspark.store.RunOutput;
import org.ffspark.store.Safetensors;
import org.ffspark.train.FrameColumns;
import scala.Option;
import scala.Tuple3;

/**
 * A trained Forward-Forward network as a Spark ML classification model. {@code transform} adds
 * {@code rawPrediction} (each label's score: its goodness summed over the scoring layers, or the
 * readout's logit), {@code probability} (a softmax over the scores divided by the temperature fitted
 * when the model was trained) and {@code prediction} (the label of highest score: the FF rule).
 *
 * <p>It carries the training Params it was fitted with ({@link FFParams}) and, after a fit, a
 * {@link ForwardForwardTrainingSummary}. Saved as Spark ML's metadata plus the network in ffspark's own
 * model format ({@code data/model.ffm}), the file {@code submit/evaluate.sh} and {@code submit/predict.sh}
 * read; {@link #exportSafetensors} writes the weights for PyTorch and NumPy.
 */
public final class ForwardForwardClassificationModel
        extends ProbabilisticClassificationModel<Vector, ForwardForwardClassificationModel>
        implements FFParams, MLWritable {
    private static final long serialVersionUID = 2L;
    static final String NETWORK_FILE = "data/model.ffm";
    /** Rows scored at a time by {@link #transform}. */
    static final int BLOCK = 256;

    private final String uid;
    private final FFNetwork network;
    private final Map<String, Param<?>> params;
    private final DoubleParam temperature;
    private final ForwardForwardTrainingSummary summary;

    ForwardForwardClassificationModel(String uid, FFNetwork network, ForwardForwardTrainingSummary summary) {
        this(ConstructionUid.hold(uid), network, summary);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private ForwardForwardClassificationModel(ConstructionUid.Token token, FFNetwork network,
                                              ForwardForwardTrainingSummary summary) {
        this.uid = ConstructionUid.take(token);
        this.network = network;
        this.summary = summary;
        this.params = ParamTable.create(uid);
        ParamTable.defaults(params).forEach((p, v) -> setDefault((Param) p, v));
        this.temperature = new DoubleParam(uid, "temperature", "the softmax temperature the probabilities divide "
                + "the scores by, fitted on the training rows when the model was trained", ParamValidators.gt(0));
        setDefault(temperature, 1.0);
    }

    @Override
    public Map<String, Param<?>> ffParams() {
        return params;
    }

    @Override
    public String uid() {
        return uid != null ? uid : ConstructionUid.pending();
    }

    /** The softmax temperature of the probabilities. */
    public DoubleParam temperature() {
        return temperature;
    }

    public double getTemperature() {
        return (Double) getOrDefault(temperature);
    }

    public ForwardForwardClassificationModel setTemperature(double value) {
        return (ForwardForwardClassificationModel) set(temperature, value);
    }

    /** The trained network (a copy). */
    public FFNetwork network() {
        return network.copy();
    }

    /** Whether this model has a training summary (one that a fit made; a loaded model has none). */
    public boolean hasSummary() {
        return summary != null;
    }

    /** The training summary; a loaded model has none. */
    public ForwardForwardTrainingSummary summary() {
        if (summary == null) {
            throw new FfsparkException("no training summary available for this model (it was loaded, not fitted)");
        }
        return summary;
    }

    @Override
    public int numClasses() {
        return network.classes();
    }

    @Override
    public int numFeatures() {
        return network.inputSize();
    }

    @Override
    public Vector predictRaw(Vector features) {
        FrameColumns.features(features, getFeaturesCol(), -1, network.inputSize());
        float[] values = new float[network.inputSize()];
        double[] dense = features.toArray();
        for (int j = 0; j < values.length; j++) {
            values[j] = (float) dense[j];
        }
        float[] scores = new float[network.classes()];
        FFKernels.score(network, values, 1, scores);
        double[] raw = new double[scores.length];
        for (int c = 0; c < raw.length; c++) {
            raw[c] = scores[c];
        }
        return Vectors.dense(raw);
    }

    /**
     * Scores the frame's rows {@link #BLOCK} at a time, each block by one pass of the network per label
     * (matrix products of a block's rows, as training and evaluation score), rather than row by row as
     * MLlib's models do through {@link #predictRaw}; the columns and their values are the same.
     */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType schema = transformSchema(dataset.schema(), true);
        java.util.Map<String, String> kinds = new java.util.HashMap<>();
        kinds.put(getRawPredictionCol(), BlockScores.RAW);
        kinds.put(getProbabilityCol(), BlockScores.PROBABILITY);
        kinds.put(getPredictionCol(), BlockScores.PREDICTION);
        java.util.List<String> columns = new java.util.ArrayList<>();
        for (String name : java.util.Arrays.copyOfRange(schema.fieldNames(), dataset.schema().size(),
                schema.size())) {
            columns.add(kinds.get(name));
        }
        if (columns.isEmpty()) {
            return dataset.toDF();
        }
        int featuresAt = dataset.schema().fieldIndex(getFeaturesCol());
        String column = getFeaturesCol();
        FFNetwork net = network;
        double temperature = getTemperature();
        double[] thresholds = isDefined(thresholds()) ? getThresholds() : null;
        return dataset.toDF().mapPartitions((MapPartitionsFunction<Row, Row>) rows -> new BlockScores(rows, net, BLOCK,
                featuresAt, column, temperature, thresholds, columns), Encoders.row(schema));
    }

    /** Softmax over the scores divided by the temperature, shifted by their maximum so nothing overflows. */
    @Override
    public Vector raw2probabilityInPlace(Vector rawPrediction) {
        if (!(rawPrediction instanceof DenseVector dense)) {
            throw new IllegalArgumentException("rawPrediction must be a dense vector");
        }
        double[] p = BlockScores.softmax(dense.values(), getTemperature());
        System.arraycopy(p, 0, dense.values(), 0, p.length);
        return dense;
    }

    @Override
    public ForwardForwardClassificationModel copy(ParamMap extra) {
        ForwardForwardClassificationModel copy = new ForwardForwardClassificationModel(uid, network, summary);
        return copyValues(copy, extra).setParent(parent());
    }

    /**
     * Spark's training summaries ask which columns hold the probability and prediction; both parents
     * declare it with return types Java sees as unrelated, so it is spelled out here with the raw type
     * that matches both.
     */
    @Override
    @SuppressWarnings("rawtypes")
    public Tuple3 findSummaryModel() {
        return new Tuple3<>(this, getProbabilityCol(), getPredictionCol());
    }

    /** Writes the weights as a safetensors file at {@code path}, refusing one that exists. */
    public void exportSafetensors(String path) {
        exportSafetensors(path, false);
    }

    /**
     * Writes the weights as a safetensors file (PyTorch's and NumPy's format, named as the notebook's
     * modules name them), whole: an existing file is replaced only with {@code overwrite}, and then only
     * once the new one is complete.
     */
    public void exportSafetensors(String path, boolean overwrite) {
        Path file = new Path(path);
        org.apache.hadoop.conf.Configuration hadoop = org.apache.spark.sql.SparkSession.active().sparkContext()
                .hadoopConfiguration();
        try {
            if (!overwrite && file.getFileSystem(hadoop).exists(file)) {
                throw new FfsparkException(path + " already exists; call exportSafetensors(path, true) to replace it");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
        new RunOutput(file.getParent().toString(), hadoop).write(file.getName(), Safetensors.toBytes(network,
                Map.of("sparkMlUid", uid, "temperature", Double.toString(getTemperature()))));
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    public static MLReader<ForwardForwardClassificationModel> read() {
        return new Reader();
    }

    public static ForwardForwardClassificationModel load(String path) {
        return read().load(path);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ForwardForwardClassificationModel: uid=%s, model=%s, hidden=%s, "
                + "numFeatures=%d, numClasses=%d", uid, network.model(), java.util.Arrays.toString(network.widths()),
                numFeatures(), numClasses());
    }

    private static final class Writer extends MLWriter {
        private final ForwardForwardClassificationModel model;

        Writer(ForwardForwardClassificationModel model) {
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter.saveMetadata(model, path, sparkSession());
            Path file = new Path(path, NETWORK_FILE);
            Map<String, Object> provenance = new LinkedHashMap<>();
            provenance.put("sparkMlUid", model.uid());
            try {
                FileSystem fs = file.getFileSystem(sc().hadoopConfiguration());
                try (OutputStream out = fs.create(file, true)) {
                    ModelFile.write(model.network, provenance, out);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private static final class Reader extends MLReader<ForwardForwardClassificationModel> {
        @Override
        public ForwardForwardClassificationModel load(String path) {
            DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, sparkSession(),
                    ForwardForwardClassificationModel.class.getName());
            Path file = new Path(path, NETWORK_FILE);
            FFNetwork network;
            try (InputStream in = file.getFileSystem(sc().hadoopConfiguration()).open(file)) {
                network = ModelFile.read(in, file.toString()).network();
            } catch (IOException e) {
                throw new FfsparkException("cannot read " + file + ": " + e.getMessage(), e);
            }
            ForwardForwardClassificationModel model = new ForwardForwardClassificationModel(metadata.uid(), network,
                    null);
            metadata.getAndSetParams(model, Option.empty());
            return model;
        }
    }
}
