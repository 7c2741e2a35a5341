package org.ffspark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.ffspark.FfsparkException;
import org.ffspark.data.LabeledImages;
import org.ffspark.train.LocalSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.jdk.javaapi.CollectionConverters;

/** The Spark ML path on a small slice of the committed MNIST, as a Spark user would drive it. */
class ForwardForwardClassifierTest {
    private static SparkSession spark;
    private static Dataset<Row> train;
    private static Dataset<Row> test;

    @BeforeAll
    static void data() {
        spark = SparkSession.builder().sparkContext(LocalSpark.context().sc()).getOrCreate();
        LabeledImages all = LocalSpark.mnistData().train().randomSubset(3500, 42, 0);
        train = frame(all, 0, 3000, "features", "label");
        test = frame(all, 3000, 3500, "features", "label");
    }

    /** Rows {@code from..to} of {@code images} as (features vector of pixel / 255, label) rows. */
    static Dataset<Row> frame(LabeledImages images, int from, int to, String featuresCol, String labelCol) {
        List<Row> rows = new ArrayList<>();
        int f = images.features();
        for (int i = from; i < to; i++) {
            double[] x = new double[f];
            for (int j = 0; j < f; j++) {
                x[j] = (images.pixels()[i * f + j] & 0xFF) / 255.0;
            }
            rows.add(RowFactory.create(Vectors.dense(x), (double) images.label(i)));
        }
        StructType schema = new StructType(new StructField[] {
            DataTypes.createStructField(featuresCol, new VectorUDT(), false),
            DataTypes.createStructField(labelCol, DataTypes.DoubleType, false)});
        return spark.createDataFrame(rows, schema);
    }

    private static double accuracy(Dataset<Row> predictions) {
        return new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(predictions);
    }

    @Test
    void fitsTransformsSavesAndLoads(@TempDir Path dir) throws Exception {
        ForwardForwardClassifier classifier = new ForwardForwardClassifier()
                .setHidden(100).setEpochs(6).setLr(0.1).setPartitions(2).setTrainAccuracyImages(500);
        ForwardForwardClassificationModel model = classifier.fit(train);

        assertEquals(6, model.trainingAccuracy().length);
        assertEquals(784, model.numFeatures());
        assertEquals(10, model.numClasses());
        double[] history = model.trainingAccuracy();
        assertEquals(history[history.length - 1], accuracy(model.transform(train.limit(500))), 1e-12,
                "transform predicts as the trainer's own evaluation did on the first 500 training rows");
        Dataset<Row> predicted = model.transform(test).cache();
        double accuracy = accuracy(predicted);
        assertTrue(accuracy >= 0.75, "test accuracy " + accuracy + " after training accuracies "
                + java.util.Arrays.toString(history));
        for (Row row : predicted.select("rawPrediction", "probability", "prediction").collectAsList()) {
            Vector raw = row.getAs(0);
            Vector probability = row.getAs(1);
            assertEquals(10, raw.size());
            double sum = 0;
            for (int c = 0; c < 10; c++) {
                sum += probability.apply(c);
            }
            assertEquals(1.0, sum, 1e-9);
            assertEquals(raw.argmax(), (int) row.getDouble(2), "prediction is the label of highest goodness");
            assertEquals(raw.argmax(), probability.argmax());
        }

        String path = dir.resolve("ffc-model").toString();
        model.write().save(path);
        ForwardForwardClassificationModel loaded = ForwardForwardClassificationModel.load(path);
        assertEquals(model.uid(), loaded.uid());
        assertEquals(model.network(), loaded.network());
        assertArrayEquals(rows(predicted), rows(loaded.transform(test)));
        assertThrows(java.io.IOException.class, () -> model.write().save(path), "refuses to overwrite");
        model.write().overwrite().save(path);

        String estimatorPath = dir.resolve("ffc").toString();
        classifier.write().save(estimatorPath);
        ForwardForwardClassifier again = ForwardForwardClassifier.load(estimatorPath);
        assertArrayEquals(new int[] {100}, again.getOrDefault(again.hidden()));
        assertEquals(6, (int) again.getOrDefault(again.epochs()));
        assertEquals(0.1, (double) again.getOrDefault(again.lr()));
    }

    private static Object[] rows(Dataset<Row> predictions) {
        return predictions.select("rawPrediction", "prediction").collectAsList().stream()
                .map(r -> List.of(r.get(0), r.get(1))).toArray();
    }

    @Test
    void worksInsideAPipelineAndIsSavedWithIt(@TempDir Path dir) throws Exception {
        Dataset<Row> renamed = train.withColumnRenamed("features", "pixels").withColumnRenamed("label", "digit");
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
            new SQLTransformer().setStatement("SELECT pixels AS features, digit AS label FROM __THIS__"),
            new ForwardForwardClassifier().setHidden(60).setEpochs(4).setLr(0.1).setSync("epoch").setPartitions(2)});
        PipelineModel fitted = pipeline.fit(renamed);
        Dataset<Row> testRenamed = test.withColumnRenamed("features", "pixels").withColumnRenamed("label", "digit");
        Dataset<Row> predicted = fitted.transform(testRenamed);
        assertTrue(accuracy(predicted) >= 0.5, "pipeline accuracy " + accuracy(predicted));

        String path = dir.resolve("pipeline").toString();
        fitted.write().save(path);
        PipelineModel loaded = PipelineModel.load(path);
        assertInstanceOf(ForwardForwardClassificationModel.class, loaded.stages()[1]);
        assertArrayEquals(rows(predicted), rows(loaded.transform(testRenamed)));
    }

    @Test
    void tunesHiddenSizesWithCrossValidatorInParallel() {
        ForwardForwardClassifier classifier = new ForwardForwardClassifier().setEpochs(3).setLr(0.1)
                .setBatchSize(16).setSync("every:4").setPartitions(2);
        ParamMap[] grid = new ParamGridBuilder()
                .addGrid(classifier.hidden(), CollectionConverters.asScala(List.of(new int[] {20}, new int[] {80})))
                .build();
        CrossValidatorModel cv = new CrossValidator()
                .setEstimator(classifier)
                .setEstimatorParamMaps(grid)
                .setEvaluator(new MulticlassClassificationEvaluator().setMetricName("accuracy"))
                .setNumFolds(2)
                .setParallelism(2)
                .setSeed(7)
                .fit(train.limit(1600));
        assertEquals(2, cv.avgMetrics().length);
        for (double metric : cv.avgMetrics()) {
            assertTrue(metric > 0.2, "fold accuracy " + metric + " (chance: 0.1)");
        }
        ForwardForwardClassificationModel best = (ForwardForwardClassificationModel) cv.bestModel();
        int bestIndex = cv.avgMetrics()[0] >= cv.avgMetrics()[1] ? 0 : 1;
        assertArrayEquals(new int[] {bestIndex == 0 ? 20 : 80}, best.network().widths());
        assertTrue(accuracy(cv.transform(test)) > 0.2);
    }

    @Test
    void fitsTheRecurrentModelWithHardNegativesAndKeepsItsDynamicsThroughSaveAndLoad(@TempDir Path dir)
            throws Exception {
        ForwardForwardClassifier classifier = new ForwardForwardClassifier().setModel("recurrent")
                .setNegatives("hard").setHidden(40, 20).setIterations(4).setScoreIterations("2-3").setEpochs(1)
                .setPartitions(2).setTrainAccuracyImages(300);
        ForwardForwardClassificationModel model = classifier.fit(train.limit(1500));
        org.ffspark.model.RecurrentFFNetwork net = assertInstanceOf(org.ffspark.model.RecurrentFFNetwork.class,
                model.network());
        assertEquals(new org.ffspark.model.RecurrentFFNetwork.Dynamics(4, 0.3f, 2, 3), net.dynamics());
        String path = dir.resolve("recurrent").toString();
        model.write().save(path);
        assertArrayEquals(rows(model.transform(test)), rows(ForwardForwardClassificationModel.load(path).transform(test)));
        assertThrows(FfsparkException.class, () -> new ForwardForwardClassifier().setModel("recurrent")
                .setIterations(4).setScoreIterations("3-6").fit(train.limit(100)));
    }

    @Test
    void refusesBadInputWithTheReason() {
        Dataset<Row> badLabel = spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(new double[784]), 12.0)),
                train.schema());
        FfsparkException label = assertThrows(FfsparkException.class,
                () -> new ForwardForwardClassifier().setHidden(10).setEpochs(1).fit(badLabel));
        assertTrue(label.getMessage().contains("label 12.0 is not a class index 0..9"), label.getMessage());

        double[] raw = new double[784];
        raw[5] = 255;
        Dataset<Row> unscaled = spark.createDataFrame(List.of(RowFactory.create(Vectors.dense(raw), 1.0)),
                train.schema());
        FfsparkException scale = assertThrows(FfsparkException.class,
                () -> new ForwardForwardClassifier().setHidden(10).setEpochs(1).fit(unscaled));
        assertTrue(scale.getMessage().contains("feature 5 is 255.0; features must lie in [0, 1]"), scale.getMessage());

        FfsparkException sync = assertThrows(FfsparkException.class,
                () -> new ForwardForwardClassifier().setSync("every:0").fit(train));
        assertTrue(sync.getMessage().contains("sync"), sync.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ForwardForwardClassifier().setLr(-1));
        assertThrows(IllegalArgumentException.class, () -> new ForwardForwardClassifier().setNegatives("hardest"));
        ForwardForwardClassifier firstLayerScored = new ForwardForwardClassifier().setNegatives("hard:1");
        assertEquals("hard:1", firstLayerScored.getOrDefault(firstLayerScored.negatives()));
        FfsparkException layers = assertThrows(FfsparkException.class,
                () -> new ForwardForwardClassifier().setHidden(10).setNegatives("hard:2").fit(train));
        assertTrue(layers.getMessage().contains("hard:L with L from 1 to 1"), layers.getMessage());
        FfsparkException empty = assertThrows(FfsparkException.class,
                () -> new ForwardForwardClassifier().setHidden(10).setEpochs(1).fit(train.limit(0)));
        assertTrue(empty.getMessage().contains("no rows"), empty.getMessage());
    }
}
