package org.ffspark.ml;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.ffspark.FfsparkException;
import org.ffspark.model.FFKernels;
import org.ffspark.model.ModelFile;
import org.ffspark.model.FFNetwork;
import scala.Option;
import scala.Tuple3;

/**
 * A trained Forward-Forward network as a Spark ML classification model. {@code transform} adds
 * {@code rawPrediction} (each label's goodness summed over layers), {@code probability} (a softmax over
 * those goodness values) and {@code prediction} (the label of highest goodness: the FF rule).
 *
 * <p>Saved as Spark ML's metadata plus the network in ffspark's own model format
 * ({@code data/model.ffm}), the file {@code submit/evaluate.sh} and {@code submit/predict.sh} read.
 */
public final class ForwardForwardClassificationModel
        extends ProbabilisticClassificationModel<Vector, ForwardForwardClassificationModel>
        implements MLWritable {
    private static final long serialVersionUID = 1L;
    static final String NETWORK_FILE = "data/model.ffm";

    private final String uid;
    private final FFNetwork network;
    private final double[] trainingAccuracy;

    ForwardForwardClassificationModel(String uid, FFNetwork network, double[] trainingAccuracy) {
        this(ConstructionUid.hold(uid), network, trainingAccuracy);
    }

    private ForwardForwardClassificationModel(ConstructionUid.Token token, FFNetwork network,
                                              double[] trainingAccuracy) {
        this.uid = ConstructionUid.take(token);
        this.network = network;
        this.trainingAccuracy = trainingAccuracy.clone();
    }

    @Override
    public String uid() {
        return uid != null ? uid : ConstructionUid.pending();
    }

    /** The trained network (a copy). */
    public FFNetwork network() {
        return network.copy();
    }

    /**
     * Accuracy on the first {@code trainAccuracyImages} training rows after each epoch of the fit (empty
     * for a model loaded from disk).
     */
    public double[] trainingAccuracy() {
        return trainingAccuracy.clone();
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
        if (features.size() != network.inputSize()) {
            throw new FfsparkException("features vector has " + features.size() + " values but the model expects "
                    + network.inputSize());
        }
        byte[] levels = new byte[features.size()];
        FeatureBlocks.quantize(features, levels, 0);
        float[] pixels = new float[levels.length];
        for (int j = 0; j < levels.length; j++) {
            pixels[j] = (levels[j] & 0xFF) / 255f;
        }
        float[] goodness = new float[network.classes()];
        FFKernels.score(network, pixels, 1, goodness);
        double[] raw = new double[goodness.length];
        for (int c = 0; c < raw.length; c++) {
            raw[c] = goodness[c];
        }
        return Vectors.dense(raw);
    }

    /** Softmax over the goodness values, shifted by their maximum so large goodness cannot overflow. */
    @Override
    public Vector raw2probabilityInPlace(Vector rawPrediction) {
        if (!(rawPrediction instanceof DenseVector dense)) {
            throw new IllegalArgumentException("rawPrediction must be a dense vector");
        }
        double[] v = dense.values();
        double max = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            max = Math.max(max, x);
        }
        double sum = 0;
        for (int c = 0; c < v.length; c++) {
            v[c] = Math.exp(v[c] - max);
            sum += v[c];
        }
        for (int c = 0; c < v.length; c++) {
            v[c] /= sum;
        }
        return dense;
    }

    @Override
    public ForwardForwardClassificationModel copy(ParamMap extra) {
        ForwardForwardClassificationModel copy = new ForwardForwardClassificationModel(uid, network,
                trainingAccuracy);
        return copyValues(copy, extra).setParent(parent());
    }

    /**
     * Spark's training summaries ask which columns hold the probability and prediction; both parents
     * declare it with return types Java sees as unrelated, so it is spelled out here with the raw type
     * that matches both. This model keeps no summary, so it answers as is.
     */
    @Override
    @SuppressWarnings("rawtypes")
    public Tuple3 findSummaryModel() {
        return new Tuple3<>(this, getProbabilityCol(), getPredictionCol());
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
        return "ForwardForwardClassificationModel: uid=" + uid + ", hidden="
                + java.util.Arrays.toString(network.widths()) + ", numFeatures=" + numFeatures();
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
                    new double[0]);
            metadata.getAndSetParams(model, Option.empty());
            return model;
        }
    }
}
