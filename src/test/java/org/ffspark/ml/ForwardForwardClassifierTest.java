package org.ffspark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
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
                .setHidden(100).setMaxIter(6).setStepSize(0.1).setPartitions(2).setTrainAccuracyImages(500);
        // Trained on every row: the monitored rows are the frame's first 500.
        ForwardForwardClassificationModel everyRow = classifier.copy(ParamMap.empty()).setCalibrationFraction(0)
                .fit(train);
        double[] monitored = everyRow.summary().trainAccuracyHistory();
        assertEquals(monitored[monitored.length - 1], accuracy(everyRow.transform(train.limit(500))), 1e-12,
                "transform predicts as the trainer's own evaluation did on the first 500 training rows");
        assertEquals(1.0, everyRow.getTemperature(), "nothing held out: no temperature fitted");
        assertTrue(Double.isNaN(everyRow.summary().calibrationError()));
        ForwardForwardClassificationModel model = classifier.fit(train);

        assertTrue(model.hasSummary());
        ForwardForwardTrainingSummary summary = model.summary();
        assertEquals(6, summary.totalIterations());
        assertEquals(6, summary.objectiveHistory().length);
        assertEquals(784, model.numFeatures());
        assertEquals(10, model.numClasses());
        double[] history = summary.trainAccuracyHistory();
        assertTrue(accuracy(everyRow.transform(test)) >= 0.75, "test accuracy after training accuracies "
                + java.util.Arrays.toString(monitored));
        Dataset<Row> predicted = model.transform(test).cache();
        double accuracy = accuracy(predicted);
        assertTrue(accuracy >= 0.7, "test accuracy " + accuracy + " after training on nine tenths of the rows, "
                + "training accuracies " + java.util.Arrays.toString(history));
        double topProbability = 0;
        for (Row row : predicted.select("features", "rawPrediction").limit(20).collectAsList()) {
            // A block's products and one row's may round the last bit differently.
            assertArrayEquals(model.predictRaw(row.getAs(0)).toArray(), ((Vector) row.getAs(1)).toArray(), 1e-5,
                    "scored in blocks as one row alone");
        }
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
            topProbability += probability.apply(probability.argmax()) / 500;
        }
        // Calibrated: the top probability is about as often right as it claims, not a flat 0.19.
        assertTrue(Math.abs(topProbability - accuracy) < 0.08, "mean top probability " + topProbability
                + " against accuracy " + accuracy);
        assertTrue(summary.calibrationError() < summary.calibrationErrorBefore(), "temperature "
                + summary.temperature() + ": calibration error " + summary.calibrationErrorBefore() + " -> "
                + summary.calibrationError());
        assertEquals(summary.temperature(), model.getTemperature());
        predicted.unpersist();

        // The model carries the Params it was trained with.
        assertEquals("100", model.getHidden());
        assertEquals(6, model.getMaxIter());
        assertEquals(0.1, model.getStepSize());
        assertEquals(500, model.getTrainAccuracyImages());
        String explained = model.explainParams() + classifier.explainParams();
        assertTrue(explained.contains("hidden: the hidden layers' widths") && explained.contains("current: 100"),
                explained);
        assertFalse(explained.contains("[I@"), "arrays are not printed as objects");

        String path = dir.resolve("ffc-model").toString();
        model.write().save(path);
        ForwardForwardClassificationModel loaded = ForwardForwardClassificationModel.load(path);
        assertEquals(model.uid(), loaded.uid());
        assertEquals(model.network(), loaded.network());
        assertEquals(model.getTemperature(), loaded.getTemperature());
        assertEquals(6, loaded.getMaxIter());
        assertFalse(loaded.hasSummary());
        assertArrayEquals(rows(predicted), rows(loaded.transform(test)));
        assertThrows(java.io.IOException.class, () -> model.write().save(path), "refuses to overwrite");
        model.write().overwrite().save(path);

        String estimatorPath = dir.resolve("ffc").toString();
        classifier.write().save(estimatorPath);
        ForwardForwardClassifier again = ForwardForwardClassifier.load(estimatorPath);
        assertEquals("100", again.getHidden());
        assertArrayEquals(new int[] {100}, again.getHiddenWidths());
        assertEquals(6, again.getMaxIter());
        assertEquals(0.1, again.getStepSize());

        // The weights as safetensors read back as the same network.
        String weights = dir.resolve("ffc.safetensors").toString();
        model.exportSafetensors(weights);
        assertEquals(model.network(), org.ffspark.store.Safetensors.fromBytes(
                java.nio.file.Files.readAllBytes(Path.of(weights)), weights));
        assertTrue(assertThrows(org.ffspark.FfsparkException.class, () -> model.exportSafetensors(weights))
                .getMessage().startsWith(weights + " already exists"), "an existing file is kept");
        model.exportSafetensors(weights, true);
    }

    private static Object[] rows(Dataset<Row> predictions) {
        return predictions.select("rawPrediction", "prediction").collectAsList().stream()
                .map(r -> List.of(r.get(0), r.get(1))).toArray();
    }

    /** Three Gaussian clusters in 20 dimensions, far from [0, 1]: scaled features and three classes. */
    static Dataset<Row> clusters(int n, long seed) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        double[][] centres = new double[3][20];
        java.util.SplittableRandom fixed = new java.util.SplittableRandom(99);
        for (double[] c : centres) {
            for (int j = 0; j < c.length; j++) {
                c[j] = fixed.nextDouble() * 40 - 20;
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int label = i % 3;
            double[] x = new double[20];
            for (int j = 0; j < 20; j++) {
                x[j] = centres[label][j] + random.nextGaussian() * 12 + 100;
            }
            rows.add(RowFactory.create(Vectors.dense(x), (double) label));
        }
        StructType schema = new StructType(new StructField[] {
            DataTypes.createStructField("raw", new VectorUDT(), false),
            DataTypes.createStructField("label", DataTypes.DoubleType, false)});
        return spark.createDataFrame(rows, schema);
    }

    @Test
    void learnsThreeClassesOfScaledVectorsInAPipeline(@TempDir Path dir) throws Exception {
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
            new StandardScaler().setInputCol("raw").setOutputCol("features").setWithMean(true),
            new ForwardForwardClassifier().setHidden(40, 30).setMaxIter(15).setStepSize(0.01).setPartitions(2)});
        PipelineModel fitted = pipeline.fit(clusters(1500, 1));
        ForwardForwardClassificationModel ff = (ForwardForwardClassificationModel) fitted.stages()[1];
        assertEquals(3, ff.numClasses(), "the classes are the labels'");
        assertEquals(20, ff.numFeatures());
        Dataset<Row> predicted = fitted.transform(clusters(600, 2));
        assertTrue(accuracy(predicted) >= 0.9, "accuracy " + accuracy(predicted));

        String path = dir.resolve("pipeline").toString();
        fitted.write().save(path);
        assertArrayEquals(rows(predicted), rows(PipelineModel.load(path).transform(clusters(600, 2))));
    }

    @Test
    void worksInsideAPipelineAndIsSavedWithIt(@TempDir Path dir) throws Exception {
        Dataset<Row> renamed = train.withColumnRenamed("features", "pixels").withColumnRenamed("label", "digit");
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
            new SQLTransformer().setStatement("SELECT pixels AS features, digit AS label FROM __THIS__"),
            new ForwardForwardClassifier().setHidden(60).setMaxIter(4).setStepSize(0.1).setSync("epoch")
                    .setPartitions(2)});
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
        ForwardForwardClassifier classifier = new ForwardForwardClassifier().setCalibrationFraction(0)
                .setMaxIter(3).setStepSize(0.1)
                .setBatchSize(16).setSync("every:4").setPartitions(2);
        ParamMap[] grid = new ParamGridBuilder()
                .addGrid(classifier.hidden(), CollectionConverters.asScala(List.of("20", "80")))
                .build();
        assertFalse(java.util.Arrays.toString(grid).contains("[I@"), "param maps print readably");
        @SuppressWarnings({"unchecked", "rawtypes"})
        Param<Object> untyped = (Param) classifier.hidden();
        assertEquals("hidden takes text, e.g. \"2000,2000,2000,2000\", not int array [20, 80]",
                assertThrows(IllegalArgumentException.class, () -> new ParamMap().put(untyped, new int[] {20, 80}))
                        .getMessage(), "MLlib's int arrays are refused when set, not in the fit");
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
        assertEquals(bestIndex == 0 ? "20" : "80", best.getHidden());
        assertTrue(accuracy(cv.transform(test)) > 0.2);
    }

    @Test
    void fitsTheRecurrentModelWithHardNegativesAndKeepsItsDynamicsThroughSaveAndLoad(@TempDir Path dir)
            throws Exception {
        ForwardForwardClassifier classifier = new ForwardForwardClassifier().setModel("recurrent")
                .setNegatives("hard").setHidden(40, 20).setIterations(4).setScoreIterations("2-3").setMaxIter(1)
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

    private static Dataset<Row> frame(List<Row> rows) {
        return spark.createDataFrame(rows, new StructType(new StructField[] {
            DataTypes.createStructField("features", new VectorUDT(), true),
            DataTypes.createStructField("label", DataTypes.DoubleType, true)}));
    }

    private static String refusal(Dataset<Row> data) {
        return refusal(data, 2);
    }

    private static String refusal(Dataset<Row> data, int partitions) {
        FfsparkException e = assertThrows(FfsparkException.class,
                () -> new ForwardForwardClassifier().setHidden(10).setMaxIter(1).setPartitions(partitions).fit(data));
        assertFalse(e.getMessage().contains("\n") || e.getMessage().contains("command line"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void refusesBadInputWithOneLineNamingColumnAndRow() {
        Row ok = RowFactory.create(Vectors.dense(1, 2, 3), 0.0);
        assertEquals("label column 'label' holds 2.5 in row 1; labels must be class indices 0, 1, 2, ...",
                refusal(frame(List.of(ok, RowFactory.create(Vectors.dense(1, 2, 3), 2.5)))));
        assertEquals("label column 'label' is null in row 1",
                refusal(frame(List.of(ok, RowFactory.create(Vectors.dense(1, 2, 3), null)))));
        assertEquals("features column 'features' is null in row 2",
                refusal(frame(List.of(ok, ok, RowFactory.create(null, 1.0)))));
        assertEquals("features column 'features': row 1 has 2 values, expected 3",
                refusal(frame(List.of(ok, RowFactory.create(Vectors.dense(1, 2), 1.0))).coalesce(1), 0),
                "rows of one partition");
        assertEquals("features column 'features' holds NaN at position 1 of row 0; features must be finite numbers",
                refusal(frame(List.of(RowFactory.create(Vectors.dense(1, Double.NaN, 3), 1.0), ok))));
        // Wherever Spark puts the two rows, the narrower and the wider one are named.
        String widths = refusal(frame(List.of(ok, RowFactory.create(Vectors.dense(1, 2, 3, 4), 1.0))));
        assertTrue(widths.matches("features column 'features': (row 1 has 4 values, expected 3|rows have 3 and 4 "
                + "values \\(row 1 has 4\\); every vector must be as wide)"), widths);
        assertEquals("the DataFrame has no rows", refusal(train.limit(0)));
        IllegalArgumentException column = assertThrows(IllegalArgumentException.class, () -> new ForwardForwardClassifier()
                .setMaxIter(1).fit(train.withColumnRenamed("label", "digit")));
        assertTrue(column.getMessage().contains("label"), "Spark's own schema check names it: " + column.getMessage());

        FfsparkException sync = assertThrows(FfsparkException.class,
                () -> new ForwardForwardClassifier().setSync("every:0").fit(train));
        assertEquals("sync must be every:K or local:K with K from 1 to 1048576 (e.g. every:1 or local:50), epoch, or local, got "
                + "'every:0'", sync.getMessage(), "named by the Param, not the command line");
        FfsparkException rate = assertThrows(FfsparkException.class,
                () -> new ForwardForwardClassifier().setStepSize(-1).fit(train));
        assertEquals("stepSize must be a number > 0.0, got '-1.0'", rate.getMessage());
        FfsparkException layers = assertThrows(FfsparkException.class,
                () -> new ForwardForwardClassifier().setHidden(10).setNegatives("hard:2").fit(train));
        assertTrue(layers.getMessage().contains("hard:L with L from 1 to 1"), layers.getMessage());

        ForwardForwardClassificationModel model = new ForwardForwardClassifier().setHidden(10).setMaxIter(1)
                .fit(frame(List.of(ok, RowFactory.create(Vectors.dense(3, 2, 1), 1.0))));
        Exception wide = assertThrows(Exception.class, () -> model.transform(
                frame(List.of(RowFactory.create(Vectors.dense(1, 2), 0.0)))).collect());
        assertEquals("features column 'features': a row has 2 values, expected 3",
                FfsparkException.findIn(wide).getMessage(), "transform names the problem as fit does");
    }
}
