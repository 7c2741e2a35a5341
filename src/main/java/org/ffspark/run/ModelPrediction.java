package org.ffspark.run;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.SerializableConfiguration;
import org.ffspark.FfsparkException;
import org.ffspark.config.Settings;
import org.ffspark.data.IdxFiles;
import org.ffspark.data.IdxReader;
import org.ffspark.data.PngFolder;
import org.ffspark.data.StorageProblem;
import org.ffspark.linalg.ProductThreads;
import org.ffspark.model.FFNetwork;

/**
 * The predicted label and every label's score for each image of an IDX image file or a folder of PNGs,
 * the service under {@code submit/predict.sh}: a Spark job in which each task reads its own slice of
 * the input (a range of the IDX file, its share of the PNGs), scores it in blocks and writes its rows;
 * the driver holds the list of PNG names at most, never the images or their scores. The output is one
 * CSV file (the tasks' parts joined in order) or a Parquet dataset, each in place only when complete.
 */
public final class ModelPrediction {
    private final JavaSparkContext sc;

    /** Above this share of light pixels, PNGs read without invert are most likely dark digits on white. */
    static final double LIGHT_BACKGROUND = 0.5;
    /** PNG names a task carries at most: the list travels inside the tasks. */
    static final int NAMES_PER_TASK = 10_000;

    public ModelPrediction(JavaSparkContext sc) {
        this.sc = sc;
    }

    /**
     * What a prediction did.
     *
     * @param accuracy against the labels given, or NaN without
     * @param lightBackground PNG input whose pixels are mostly light, read without {@code invert}: probably
     *                        dark digits on white, which the network cannot read
     * @param seconds  the prediction's wall time, reading, scoring and writing
     */
    public record Result(long images, String format, double accuracy, List<Integer> hidden, boolean lightBackground,
                         double seconds) {
    }

    public Result predict(String modelPath, String input, String out, Settings settings) {
        long started = System.nanoTime();
        Configuration hadoop = sc.hadoopConfiguration();
        String format = settings.text("format").isEmpty()
                ? (out.toLowerCase(Locale.ROOT).endsWith(".parquet") ? "parquet" : "csv")
                : settings.choice("format", List.of("csv", "parquet"));
        boolean invert = settings.bool("invert");
        boolean overwrite = settings.bool("overwrite");
        int partitions = settings.integer("partitions", 0, 1 << 16);
        String labelsFile = settings.text("labels");
        checkTarget(out, overwrite, hadoop);

        FFNetwork network = SavedModels.withClassifier(SavedModels.read(modelPath, hadoop).network(), settings,
                modelPath);
        int side = (int) Math.round(Math.sqrt(network.inputSize()));
        boolean png = PngFolder.isFolder(input, hadoop);
        List<String> pngs = null;
        String imageFile = null;
        int count;
        if (png) {
            if (side * side != network.inputSize()) {
                throw new FfsparkException("the model reads " + network.inputSize()
                        + " inputs, not a square image; give an IDX file instead of PNGs");
            }
            pngs = PngFolder.list(input, hadoop);
            count = pngs.size();
        } else {
            imageFile = qualified(input, hadoop);
            IdxReader.Header header = IdxFiles.scan(imageFile, hadoop).header();
            if (!header.images()) {
                throw new FfsparkException(input + " is an IDX label file; give the image file");
            }
            if (header.itemBytes() != network.inputSize()) {
                throw new FfsparkException(input + ": images are " + header.rows() + "x" + header.cols() + " ("
                        + header.itemBytes() + " pixels) but the model " + modelPath + " expects "
                        + network.inputSize() + " inputs");
            }
            count = header.count();
        }
        String labelFile = null;
        if (!labelsFile.isEmpty()) {
            labelFile = qualified(labelsFile, hadoop);
            IdxReader.Header labels = IdxFiles.scan(labelFile, hadoop).header();
            if (labels.images() || labels.count() != count) {
                throw new FfsparkException(labelsFile + " holds " + (labels.images() ? "images" : labels.count()
                        + " labels") + " but " + input + " holds " + count + " images");
            }
        }
        int parts = Math.max(1, Math.min(count, Math.max(partitions > 0 ? partitions : sc.defaultParallelism(),
                png ? (count + NAMES_PER_TASK - 1) / NAMES_PER_TASK : 1)));
        List<ScoredImages.Slice> slices = new ArrayList<>(parts);
        for (int p = 0; p < parts; p++) {
            int first = (int) ((long) count * p / parts);
            int end = (int) ((long) count * (p + 1) / parts);
            slices.add(new ScoredImages.Slice(first, end - first, png ? new ArrayList<>(pngs.subList(first, end)) : null));
        }

        sc.setJobDescription("predict " + input);
        Broadcast<FFNetwork> weights = sc.broadcast(network);
        Broadcast<SerializableConfiguration> conf = sc.broadcast(new SerializableConfiguration(
                new Configuration(hadoop)));
        LongAccumulator correct = sc.sc().longAccumulator("correct");
        LongAccumulator light = sc.sc().longAccumulator("light pixels");
        String images = imageFile;
        String labels = labelFile;
        boolean labelled = labels != null;
        int classes = network.classes();
        JavaRDD<Row> rows = sc.parallelize(slices, parts).flatMap(slice -> {
            ProductThreads.use(TaskContext.get().cpus());
            Configuration c = conf.value().value();
            return new ScoredImages(weights.value(), slice, images, labels, invert, side, c, correct, light);
        });
        if (format.equals("csv")) {
            PredictionFiles.writeCsv(sc, rows, classes, labelled, out);
        } else {
            PredictionFiles.writeParquet(sc, rows, labelled, out);
        }
        // Only once every task has ended: after a failed job other tasks may still be reading them, and
        // Spark's context cleaner frees them then.
        weights.destroy();
        conf.destroy();
        List<Integer> hidden = java.util.Arrays.stream(network.widths()).boxed().toList();
        boolean lightBackground = png && !invert
                && (double) light.value() / ((long) count * network.inputSize()) > LIGHT_BACKGROUND;
        return new Result(count, format, labelled ? (double) correct.value() / count : Double.NaN, hidden,
                lightBackground, (System.nanoTime() - started) / 1e9);
    }

    /** The path as every executor finds it (with its scheme, absolute). */
    private static String qualified(String file, Configuration hadoop) {
        Path path = new Path(file);
        try {
            return path.getFileSystem(hadoop).makeQualified(path).toString();
        } catch (IOException e) {
            throw new FfsparkException(file + ": " + StorageProblem.describe(e), e);
        }
    }

    private static void checkTarget(String out, boolean overwrite, Configuration hadoop) {
        Path target = new Path(out);
        try {
            FileSystem fs = target.getFileSystem(hadoop);
            if (fs.exists(target) && !overwrite) {
                throw new FfsparkException("out " + out + " already exists; choose another or set overwrite=true");
            }
        } catch (IOException e) {
            throw new FfsparkException("out " + out + ": " + StorageProblem.describe(e), e);
        }
    }

}
