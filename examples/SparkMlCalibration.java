import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.ffspark.data.IdxFiles;
import org.ffspark.data.LabeledImages;
import org.ffspark.eval.Calibration;
import org.ffspark.ml.ForwardForwardClassificationModel;
import org.ffspark.ml.ForwardForwardClassifier;
import org.ffspark.ml.ForwardForwardTrainingSummary;

/**
 * The Spark ML estimator on MNIST as a DataFrame, and how well its probabilities are calibrated on
 * the test images: the mean probability of the predicted label against the accuracy, and the expected
 * calibration error (15 equal-width bins of that probability) of the plain softmax over goodness and
 * of the softmax at the temperature fitted after training. Run from the project folder after a build (submit/train.sh builds it too):
 *
 *   java --add-modules=jdk.incubator.vector -Dlog4j2.configurationFile=conf/log4j2.properties \
 *       -cp "target/ffspark-0.1.0.jar:target/jars/*" examples/SparkMlCalibration.java [EPOCHS]
 */
public class SparkMlCalibration {
    public static void main(String[] args) {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        SparkSession spark = SparkSession.builder().master("local[2]").appName("ffspark calibration")
                .config("spark.ui.enabled", "false").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        Configuration hadoop = new Configuration();
        IdxFiles mnist = IdxFiles.inDirectory("data/mnist", hadoop);
        Dataset<Row> train = frame(spark, LabeledImages.of(IdxFiles.readImages(mnist.trainImages(), hadoop),
                IdxFiles.readLabels(mnist.trainLabels(), hadoop)).randomSubset(20000, 42, 0));
        Dataset<Row> test = frame(spark, LabeledImages.of(IdxFiles.readImages(mnist.testImages(), hadoop),
                IdxFiles.readLabels(mnist.testLabels(), hadoop)));

        ForwardForwardClassifier estimator = new ForwardForwardClassifier().setHidden("500,500")
                .setMaxIter(epochs).setStepSize(0.03).setSeed(42);
        long start = System.nanoTime();
        ForwardForwardClassificationModel model = estimator.fit(train);
        double fitSeconds = (System.nanoTime() - start) / 1e9;
        ForwardForwardTrainingSummary summary = model.summary();

        List<Row> rows = model.transform(test).select("rawPrediction", "probability", "prediction", "label")
                .collectAsList();
        int n = rows.size();
        float[] scores = new float[n * 10];
        int[] labels = new int[n];
        double correct = 0;
        double meanTop = 0;
        for (int i = 0; i < n; i++) {
            Vector raw = rows.get(i).getAs(0);
            Vector probability = rows.get(i).getAs(1);
            for (int c = 0; c < 10; c++) {
                scores[i * 10 + c] = (float) raw.apply(c);
            }
            labels[i] = (int) rows.get(i).getDouble(3);
            meanTop += probability.apply(probability.argmax()) / n;
            correct += rows.get(i).getDouble(2) == labels[i] ? 1.0 / n : 0;
        }
        System.out.printf(Locale.ROOT, "[500,500], %d epochs, 20000 training images, fitted in %.1f s; on the %d "
                        + "test images:%n"
                        + "  accuracy %.2f%%, mean probability of the predicted label %.3f%n"
                        + "  expected calibration error %.3f with the plain softmax over goodness, %.3f with the "
                        + "temperature %.4g fitted after training (on the held-out rows: %.3f -> %.3f)%n",
                epochs, fitSeconds, n, 100 * correct, meanTop,
                Calibration.expectedCalibrationError(scores, labels, n, 10, 1.0),
                Calibration.expectedCalibrationError(scores, labels, n, 10, summary.temperature()),
                summary.temperature(), summary.calibrationErrorBefore(), summary.calibrationError());
        spark.stop();
    }

    /** The images as a DataFrame of pixel vectors in [0, 1] and double labels, as a Spark ML user has them. */
    private static Dataset<Row> frame(SparkSession spark, LabeledImages images) {
        int features = images.features();
        List<Row> rows = new ArrayList<>(images.count());
        for (int i = 0; i < images.count(); i++) {
            double[] pixels = new double[features];
            for (int p = 0; p < features; p++) {
                pixels[p] = (images.pixels()[i * features + p] & 0xff) / 255.0;
            }
            rows.add(RowFactory.create(Vectors.dense(pixels), (double) images.label(i)));
        }
        StructType schema = new StructType().add("features", SQLDataTypes.VectorType()).add("label", DataTypes.DoubleType);
        return spark.createDataFrame(rows, schema);
    }
}
