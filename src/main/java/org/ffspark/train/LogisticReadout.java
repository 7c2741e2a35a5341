package org.ffspark.train;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.ffspark.data.DataBlock;
import org.ffspark.model.Classifier;
import org.ffspark.model.FFKernels;
import org.ffspark.model.SimpleFFNetwork;

/**
 * A readout fitted after training instead of alongside it: MLlib's multinomial logistic regression
 * (no intercept, like the local readout) on the frozen network's neutral-pass features of the training
 * images, computed where the blocks are. The fitted coefficients become the network's readout block.
 */
public final class LogisticReadout {
    /** L-BFGS iterations: the features are fixed, so the fit converges well within this. */
    static final int MAX_ITERATIONS = 100;
    private static final int SLICE = 256;

    private LogisticReadout() {
    }

    /**
     * {@code net} with a readout fitted on {@code train}, predicting with {@code classifier}.
     *
     * @param regularisation MLlib's {@code regParam} (an L2 penalty)
     */
    public static SimpleFFNetwork fit(JavaSparkContext sc, SimpleFFNetwork net, JavaRDD<DataBlock> train,
                                      double regularisation, Classifier classifier, String jobLabel) {
        SimpleFFNetwork frozen = net.withReadout(null, Classifier.GOODNESS);
        Broadcast<SimpleFFNetwork> weights = sc.broadcast(frozen);
        JavaRDD<Row> rows = train.flatMap(block -> features(weights.value(), block).iterator());
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        StructType schema = new StructType(new StructField[] {
            DataTypes.createStructField("label", DataTypes.DoubleType, false),
            DataTypes.createStructField("features", SQLDataTypes.VectorType(), false)});
        Dataset<Row> data = spark.createDataFrame(rows, schema).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            sc.setJobDescription(jobLabel + "fit the logistic readout");
            LogisticRegressionModel model = new LogisticRegression().setFamily("multinomial").setFitIntercept(false)
                    .setRegParam(regularisation).setMaxIter(MAX_ITERATIONS).fit(data);
            Matrix coefficients = model.coefficientMatrix();
            int classes = net.classes();
            int inputs = net.readoutInputs();
            float[] readout = new float[classes * inputs];
            for (int c = 0; c < coefficients.numRows(); c++) {
                for (int d = 0; d < inputs; d++) {
                    readout[c * inputs + d] = (float) coefficients.apply(c, d);
                }
            }
            return frozen.withReadout(readout, classifier);
        } finally {
            data.unpersist(false);
            weights.destroy();
        }
    }

    /** (label, features) rows of a block, features stored sparse where ReLU left them mostly zero. */
    private static List<Row> features(SimpleFFNetwork net, DataBlock block) {
        int inputs = net.readoutInputs();
        List<Row> rows = new ArrayList<>(block.count());
        float[] pixels = new float[Math.min(SLICE, block.count()) * block.features()];
        float[] features = new float[Math.min(SLICE, block.count()) * inputs];
        for (int start = 0; start < block.count(); start += SLICE) {
            int n = Math.min(SLICE, block.count() - start);
            for (int i = 0; i < n; i++) {
                block.copyScaled(start + i, pixels, i * block.features());
            }
            FFKernels.readoutFeatures(net, pixels, n, features);
            for (int i = 0; i < n; i++) {
                double[] row = new double[inputs];
                for (int d = 0; d < inputs; d++) {
                    row[d] = features[i * inputs + d];
                }
                rows.add(RowFactory.create((double) block.label(start + i), Vectors.dense(row).compressed()));
            }
        }
        return rows;
    }
}
