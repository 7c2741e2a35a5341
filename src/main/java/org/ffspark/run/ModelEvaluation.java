package org.ffspark.run;

import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import org.apache.spark.api.java.JavaSparkContext;
import org.ffspark.FfsparkException;
import org.ffspark.config.Settings;
import org.ffspark.data.BlockSource;
import org.ffspark.data.DataBlock;
import org.ffspark.data.IdxFiles;
import org.ffspark.data.IdxReader;
import org.ffspark.eval.ConfusionMatrix;
import org.ffspark.model.FFNetwork;
import org.ffspark.report.Json;
import org.ffspark.store.ModelFile;
import org.ffspark.store.RunOutput;
import org.ffspark.train.ClusterScoring;
import org.ffspark.train.TrainingData;

/**
 * A saved model's accuracy, per-class accuracy and confusion matrix on the test (or training) images of
 * a data directory, scored on the executors: the service under {@code submit/evaluate.sh}.
 */
public final class ModelEvaluation {
    private final JavaSparkContext sc;

    public ModelEvaluation(JavaSparkContext sc) {
        this.sc = sc;
    }

    /** What an evaluation found; also what {@code json=} writes. */
    public record Result(String model, String data, String split, int images, List<Integer> hidden,
                         String classifier, double accuracy, double[] classAccuracy, long[][] confusionMatrix) {
        public ConfusionMatrix matrix() {
            return ConfusionMatrix.of(confusionMatrix);
        }
    }

    public Result evaluate(String modelPath, String dataDirectory, Settings settings) {
        Configuration hadoop = sc.hadoopConfiguration();
        String split = settings.choice("split", List.of("test", "train"));
        int limit = settings.integer("limit", 0, Integer.MAX_VALUE);
        int partitions = settings.integer("partitions", 0, 1 << 16);
        String json = settings.text("json");

        ModelFile.Saved saved = SavedModels.read(modelPath, hadoop);
        FFNetwork network = SavedModels.withClassifier(saved.network(), settings, modelPath);
        IdxFiles files = IdxFiles.inDirectory(dataDirectory, hadoop).qualified(hadoop);
        String imageFile = split.equals("test") ? files.testImages() : files.trainImages();
        String labelFile = split.equals("test") ? files.testLabels() : files.trainLabels();
        long drawsBefore = split.equals("train") || limit == 0 ? IdxPreparation.TRAIN_SUBSET_DRAWS_BEFORE
                : IdxPreparation.testSubsetDrawsBefore(IdxFiles.header(files.trainLabels(), hadoop).count());
        // Checked here whole, read by the executors block by block.
        IdxReader.Scan images = IdxFiles.scan(imageFile, hadoop);
        IdxReader.Scan labels = IdxFiles.scan(labelFile, hadoop);
        if (images.header().count() != labels.header().count()) {
            throw new FfsparkException(imageFile + ": " + images.header().count() + " images but " + labelFile
                    + " holds " + labels.header().count() + " labels");
        }
        IdxReader.Header header = images.header();
        if (header.itemBytes() != network.inputSize()) {
            throw new FfsparkException(imageFile + ": images are " + header.rows() + "x" + header.cols()
                    + " (" + header.itemBytes() + " pixels) but the model " + modelPath + " expects "
                    + network.inputSize() + " inputs");
        }
        if (limit > header.count()) {
            throw settings.invalid("limit", limit + " is larger than the " + header.count() + " images in "
                    + imageFile);
        }
        int count = limit > 0 ? limit : header.count();
        int parts = Math.min(Math.max(1, count), partitions > 0 ? partitions : sc.defaultParallelism());
        Broadcast<SerializableConfiguration> readWith = sc.broadcast(
                new SerializableConfiguration(new org.apache.hadoop.conf.Configuration(sc.hadoopConfiguration())));
        JavaRDD<DataBlock> blocks = TrainingData.blocks(sc, readWith,
                new BlockSource(imageFile, labelFile, header.count(), limit, settings.longValue("seed"), drawsBefore,
                        0, parts),
                "evaluate");
        ConfusionMatrix matrix;
        try {
            sc.setJobDescription("evaluate " + modelPath);
            matrix = new ClusterScoring(sc).evaluate(network, blocks);
        } finally {
            blocks.unpersist(false);
            readWith.destroy();
        }
        List<Integer> hidden = java.util.Arrays.stream(network.widths()).boxed().toList();
        Result result = new Result(modelPath, dataDirectory, split, count, hidden, SavedModels.classifierOf(network),
                matrix.accuracy(), matrix.classAccuracy(), matrix.rows());
        if (!json.isEmpty()) {
            Path target = new Path(json);
            String parent = target.getParent() == null ? "." : target.getParent().toString();
            new RunOutput(parent, hadoop).write(target.getName(), Json.document(result));
        }
        return result;
    }
}
