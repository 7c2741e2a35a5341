package org.ffspark.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.ffspark.FfsparkException;
import org.ffspark.config.Settings;
import org.ffspark.data.DataBlock;
import org.ffspark.data.IdxFiles;
import org.ffspark.data.ImageSet;
import org.ffspark.data.LabelSet;
import org.ffspark.data.LabeledImages;
import org.ffspark.data.PngFolder;
import org.ffspark.data.StorageProblem;
import org.ffspark.linalg.ProductThreads;
import org.ffspark.model.FFKernels;
import org.ffspark.model.FFNetwork;
import org.ffspark.model.LabelScorer;
import org.ffspark.store.RunOutput;

/**
 * The predicted label and every label's score for each image of an IDX image file or a folder of PNGs,
 * scored on the executors, written as one CSV file or a Parquet dataset: the service under
 * {@code submit/predict.sh}.
 */
public final class ModelPrediction {
    private final JavaSparkContext sc;

    /** Above this share of light pixels, PNGs read without invert are most likely dark digits on white. */
    static final double LIGHT_BACKGROUND = 0.5;

    public ModelPrediction(JavaSparkContext sc) {
        this.sc = sc;
    }

    /** The scores of one image; {@code label} is -1 without labels. */
    public record Prediction(String image, int prediction, float[] goodness, int label) {
    }

    /**
     * What a prediction did.
     *
     * @param accuracy against the labels given, or NaN without
     * @param lightBackground PNG input whose pixels are mostly light, read without {@code invert}: probably
     *                        dark digits on white, which the network cannot read
     */
    public record Result(List<Prediction> predictions, String format, double accuracy, List<Integer> hidden,
                         boolean lightBackground) {
    }

    public Result predict(String modelPath, String input, String out, Settings settings) {
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
        List<String> names;
        ImageSet images;
        boolean lightBackground = false;
        if (PngFolder.isFolder(input, hadoop)) {
            if (side * side != network.inputSize()) {
                throw new FfsparkException("the model reads " + network.inputSize()
                        + " inputs, not a square image; give an IDX file instead of PNGs");
            }
            PngFolder.Images png = PngFolder.read(input, side, side, invert, hadoop);
            names = png.names();
            images = png.pixels();
            lightBackground = !invert && images.lightShare() > LIGHT_BACKGROUND;
        } else {
            images = IdxFiles.readImages(input, hadoop);
            names = PngFolder.indexNames(images.count());
        }
        if (images.rows() * images.cols() != network.inputSize()) {
            throw new FfsparkException(input + ": images are " + images.rows() + "x" + images.cols() + " ("
                    + images.rows() * images.cols() + " pixels) but the model " + modelPath + " expects "
                    + network.inputSize() + " inputs");
        }
        byte[] labels = new byte[images.count()];
        boolean labelled = !labelsFile.isEmpty();
        if (labelled) {
            LabelSet set = IdxFiles.readLabels(labelsFile, hadoop);
            labels = LabeledImages.of(images, set).labels();
        }
        LabeledImages all = new LabeledImages(images.count(), images.rows(), images.cols(), images.pixels(), labels);
        int parts = Math.max(1, Math.min(all.count(), partitions > 0 ? partitions : sc.defaultParallelism()));

        sc.setJobDescription("predict " + input);
        // The images travel as one broadcast (torrent-distributed, not inside each task), cut into a
        // block per task where they arrive.
        Broadcast<FFNetwork> weights = sc.broadcast(network);
        Broadcast<LabeledImages> shared = sc.broadcast(all);
        List<float[]> scored;
        try {
            List<Integer> blockIndex = java.util.stream.IntStream.range(0, parts).boxed().toList();
            scored = sc.parallelize(blockIndex, parts)
                    .map(b -> {
                        ProductThreads.use(TaskContext.get().cpus());
                        return score(weights.value(), shared.value().blocks(parts).get(b));
                    })
                    .collect();
        } finally {
            weights.destroy();
            shared.destroy();
        }
        List<Prediction> predictions = new ArrayList<>(all.count());
        int classes = network.classes();
        int correct = 0;
        for (float[] blockGoodness : scored) {
            int n = blockGoodness.length / classes;
            int[] predicted = LabelScorer.predictions(blockGoodness, n, classes);
            for (int i = 0; i < n; i++) {
                int index = predictions.size();
                float[] g = java.util.Arrays.copyOfRange(blockGoodness, i * classes, (i + 1) * classes);
                int label = labelled ? all.label(index) : -1;
                correct += label == predicted[i] ? 1 : 0;
                predictions.add(new Prediction(names.get(index), predicted[i], g, label));
            }
        }
        if (format.equals("csv")) {
            writeCsv(predictions, classes, labelled, out, hadoop);
        } else {
            writeParquet(predictions, classes, labelled, out, hadoop);
        }
        List<Integer> hidden = java.util.Arrays.stream(network.widths()).boxed().toList();
        return new Result(predictions, format, labelled ? (double) correct / predictions.size() : Double.NaN, hidden,
                lightBackground);
    }

    private static float[] score(FFNetwork network, DataBlock block) {
        float[] pixels = new float[block.count() * block.features()];
        for (int i = 0; i < block.count(); i++) {
            block.copyScaled(i, pixels, i * block.features());
        }
        float[] goodness = new float[block.count() * network.classes()];
        FFKernels.score(network, pixels, block.count(), goodness);
        return goodness;
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

    private static void writeCsv(List<Prediction> predictions, int classes, boolean labelled, String out,
                                 Configuration hadoop) {
        List<String> header = new ArrayList<>(List.of("image", "prediction"));
        if (labelled) {
            header.add("label");
        }
        for (int c = 0; c < classes; c++) {
            header.add("goodness_" + c);
        }
        StringBuilder text = new StringBuilder(predictions.size() * 128);
        try (CSVPrinter csv = new CSVPrinter(text, CSVFormat.DEFAULT.builder().setRecordSeparator('\n')
                .setHeader(header.toArray(new String[0])).get())) {
            for (Prediction p : predictions) {
                List<Object> row = new ArrayList<>(List.of(p.image(), p.prediction()));
                if (labelled) {
                    row.add(p.label());
                }
                for (float g : p.goodness()) {
                    row.add(g);
                }
                csv.printRecord(row);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Path target = new Path(out);
        String parent = target.getParent() == null ? "." : target.getParent().toString();
        RunOutput directory = new RunOutput(parent, hadoop);
        directory.prepareDirectory();
        directory.write(target.getName(), text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Written beside the target first and renamed into place, so OUT is complete or absent. */
    private void writeParquet(List<Prediction> predictions, int classes, boolean labelled, String out,
                              Configuration hadoop) {
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("image", DataTypes.StringType, false));
        fields.add(DataTypes.createStructField("prediction", DataTypes.IntegerType, false));
        if (labelled) {
            fields.add(DataTypes.createStructField("label", DataTypes.IntegerType, false));
        }
        fields.add(DataTypes.createStructField("goodness", DataTypes.createArrayType(DataTypes.FloatType, false),
                false));
        List<Row> rows = new ArrayList<>(predictions.size());
        for (Prediction p : predictions) {
            Float[] g = new Float[classes];
            for (int c = 0; c < classes; c++) {
                g[c] = p.goodness()[c];
            }
            rows.add(labelled ? RowFactory.create(p.image(), p.prediction(), p.label(), g)
                    : RowFactory.create(p.image(), p.prediction(), g));
        }
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        Path target = new Path(out);
        Path temporary = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
        try {
            FileSystem fs = target.getFileSystem(hadoop);
            spark.createDataFrame(rows, new StructType(fields.toArray(new StructField[0]))).coalesce(1)
                    .write().parquet(temporary.toString());
            if (fs.exists(target)) {
                fs.delete(target, true);
            }
            if (!fs.rename(temporary, target)) {
                throw new IOException("rename of " + temporary + " failed");
            }
        } catch (IOException e) {
            throw new FfsparkException("cannot write " + out + ": " + StorageProblem.describe(e), e);
        }
    }
}
