package org.ffspark.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.ffspark.FfsparkException;
import org.ffspark.data.BlockSource;
import org.ffspark.data.DataBlock;
import org.ffspark.data.LabeledImages;
import org.ffspark.data.MnistFiles;
import org.ffspark.eval.ConfusionMatrix;
import org.ffspark.model.ModelFile;
import org.ffspark.report.Json;
import org.ffspark.train.DistributedTrainer;
import org.ffspark.train.TrainingData;

/**
 * {@code evaluate MODEL DATA [key=value ...]}: loads a saved model and prints its accuracy, per-class
 * accuracy and confusion matrix on the test (or training) images of DATA.
 */
public final class EvaluateCommand {
    private final JavaSparkContext sc;
    private final PrintStream console;

    public EvaluateCommand(JavaSparkContext sc, PrintStream console) {
        this.sc = sc;
        this.console = console;
    }

    public Map<String, Object> run(String modelPath, String dataDirectory, Settings settings) {
        Configuration hadoop = sc.hadoopConfiguration();
        String split = settings.choice("split", List.of("test", "train"));
        int limit = settings.integer("limit", 0, Integer.MAX_VALUE);
        int partitions = settings.integer("partitions", 0, 1 << 16);
        String json = settings.text("json");

        ModelFile.Saved saved = SavedModels.read(modelPath, hadoop);
        MnistFiles files = MnistFiles.inDirectory(dataDirectory, hadoop).qualified(hadoop);
        String imageFile = split.equals("test") ? files.testImages() : files.trainImages();
        String labelFile = split.equals("test") ? files.testLabels() : files.trainLabels();
        long drawsBefore = split.equals("train") || limit == 0 ? TrainCommand.TRAIN_SUBSET_DRAWS_BEFORE
                : TrainCommand.testSubsetDrawsBefore(MnistFiles.readLabels(files.trainLabels(), hadoop).count());
        BlockSource source = new BlockSource(imageFile, labelFile, 0, settings.longValue("seed"), drawsBefore, 0, 1);
        LabeledImages all = source.images(hadoop);
        if (all.features() != saved.network().inputSize()) {
            throw new FfsparkException(imageFile + ": images are " + all.rows() + "x" + all.cols()
                    + " (" + all.features() + " pixels) but the model " + modelPath + " expects "
                    + saved.network().inputSize() + " inputs");
        }
        if (limit > all.count()) {
            throw settings.invalid("limit", limit + " is larger than the " + all.count() + " images in "
                    + imageFile);
        }
        int count = limit > 0 ? limit : all.count();
        int parts = Math.min(Math.max(1, count), partitions > 0 ? partitions : sc.defaultParallelism());
        JavaRDD<DataBlock> blocks = TrainingData.blocks(sc,
                new BlockSource(imageFile, labelFile, limit, settings.longValue("seed"), drawsBefore, 0, parts),
                "evaluate");
        sc.setJobDescription("evaluate " + modelPath);
        ConfusionMatrix matrix = new DistributedTrainer(sc).evaluate(saved.network(), blocks);

        console.printf(Locale.ROOT, "model %s (hidden %s) on %d %s images of %s%n", modelPath,
                java.util.Arrays.toString(saved.network().widths()), count, split, dataDirectory);
        console.printf(Locale.ROOT, "accuracy %.2f%%%n", 100 * matrix.accuracy());
        console.println("per-class accuracy: " + TrainCommand.classAccuracyText(matrix));
        console.print(matrix.format());

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("model", modelPath);
        result.put("data", dataDirectory);
        result.put("split", split);
        result.put("images", count);
        result.put("accuracy", matrix.accuracy());
        result.put("classAccuracy", matrix.classAccuracy());
        result.put("confusionMatrix", matrix.rows());
        if (!json.isEmpty()) {
            Path target = new Path(json);
            String parent = target.getParent() == null ? "." : target.getParent().toString();
            new org.ffspark.report.RunOutput(parent, hadoop).write(target.getName(), Json.document(result));
            console.println("wrote " + json);
        }
        return result;
    }
}
