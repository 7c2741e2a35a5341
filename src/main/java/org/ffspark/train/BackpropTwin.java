package org.ffspark.train;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
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
import org.ffspark.eval.ConfusionMatrix;

/**
 * The backpropagation twin of an FF network ({@code model=mlp}): Spark MLlib's
 * {@code MultilayerPerceptronClassifier} with the same hidden sizes, trained by L-BFGS on the same
 * images, so that a grid can show what FF gives up against backprop at a given neuron count. MLlib's
 * hidden layers are sigmoid and its output a softmax; {@code epochs} is its L-BFGS iterations.
 */
public final class BackpropTwin {
    private BackpropTwin() {
    }

    /**
     * What the twin learnt.
     *
     * @param objective the training loss after each L-BFGS iteration
     */
    public record Result(MultilayerPerceptronClassificationModel model, ConfusionMatrix test, ConfusionMatrix train,
                         double[] objective, double seconds, long parameters) {
    }

    public static Result train(JavaSparkContext sc, TrainingConfig config, TrainingData data, int features,
                               int classes) {
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        int[] layers = new int[config.hidden().size() + 2];
        layers[0] = features;
        for (int l = 0; l < config.hidden().size(); l++) {
            layers[l + 1] = config.hidden().get(l);
        }
        layers[layers.length - 1] = classes;
        Dataset<Row> train = frame(spark, data.train()).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long started = System.nanoTime();
            sc.setJobDescription("mlp twin " + java.util.Arrays.toString(layers) + ": L-BFGS");
            MultilayerPerceptronClassificationModel model = new MultilayerPerceptronClassifier().setLayers(layers)
                    .setMaxIter(config.epochs()).setSeed(config.seed()).setSolver("l-bfgs").fit(train);
            double seconds = (System.nanoTime() - started) / 1e9;
            long parameters = 0;
            for (int l = 1; l < layers.length; l++) {
                parameters += (long) layers[l - 1] * layers[l] + layers[l];
            }
            double[] objective = model.hasSummary() ? model.summary().objectiveHistory() : new double[0];
            return new Result(model, confusion(spark, model, data.test(), classes),
                    confusion(spark, model, data.trainAccuracy(), classes), objective, seconds, parameters);
        } finally {
            train.unpersist(false);
        }
    }

    private static ConfusionMatrix confusion(SparkSession spark, MultilayerPerceptronClassificationModel model,
                                             JavaRDD<DataBlock> blocks, int classes) {
        ConfusionMatrix matrix = new ConfusionMatrix(classes);
        for (Row row : model.transform(frame(spark, blocks)).select("label", "prediction").collectAsList()) {
            matrix.record((int) row.getDouble(0), (int) row.getDouble(1));
        }
        return matrix;
    }

    /** Blocks as MLlib's (label, features) rows, pixels scaled to [0, 1] as the FF network reads them. */
    private static Dataset<Row> frame(SparkSession spark, JavaRDD<DataBlock> blocks) {
        StructType schema = new StructType(new StructField[] {
            DataTypes.createStructField("label", DataTypes.DoubleType, false),
            DataTypes.createStructField("features", SQLDataTypes.VectorType(), false)});
        JavaRDD<Row> rows = blocks.flatMap(block -> {
            List<Row> out = new ArrayList<>(block.count());
            float[] pixels = new float[block.features()];
            for (int i = 0; i < block.count(); i++) {
                block.copyScaled(i, pixels, 0);
                double[] values = new double[pixels.length];
                for (int j = 0; j < values.length; j++) {
                    values[j] = pixels[j];
                }
                Vector v = Vectors.dense(values).compressed();
                out.add(RowFactory.create((double) block.label(i), v));
            }
            return out.iterator();
        });
        return spark.createDataFrame(rows, schema);
    }
}
