package org.ffspark.run;

import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ffspark.FfsparkException;
import org.ffspark.config.Settings;
import org.ffspark.data.IdxFiles;
import org.ffspark.data.StorageProblem;
import org.ffspark.model.Classifier;
import org.ffspark.model.FFNetwork;
import org.ffspark.model.SimpleFFNetwork;
import org.ffspark.store.Checkpoint;
import org.ffspark.store.ModelFile;
import org.ffspark.store.RunOutput;
import org.ffspark.store.Safetensors;

/**
 * Reads a model from any Hadoop file system for evaluate, predict and export: a model file, a
 * safetensors file, or a run's output folder (its {@code model.ffm}), with the commands' one-line errors.
 */
public final class SavedModels {
    private SavedModels() {
    }

    public static ModelFile.Saved read(String modelPath, Configuration hadoop) {
        Path path = new Path(modelPath);
        try {
            FileSystem fs = path.getFileSystem(hadoop);
            if (fs.exists(path) && fs.getFileStatus(path).isDirectory()) {
                Path inside = new Path(path, RunOutput.MODEL);
                if (!fs.exists(inside)) {
                    throw new FfsparkException(modelPath + " is a folder without a " + RunOutput.MODEL
                            + " (give a model file or a finished run's out folder)");
                }
                path = inside;
            }
            byte[] bytes;
            try (InputStream in = fs.open(path)) {
                bytes = in.readAllBytes();
            }
            // A safetensors file (a network trained in PyTorch, or one ffspark exported) reads as well, and
            // so does a checkpoint: the network as it was after that epoch.
            if (Safetensors.looksLike(bytes)) {
                return new ModelFile.Saved(Safetensors.fromBytes(bytes, path.toString()), java.util.Map.of());
            }
            if (Checkpoint.looksLike(bytes)) {
                Checkpoint checkpoint = Checkpoint.fromBytes(bytes, path.toString());
                return new ModelFile.Saved(checkpoint.state().network(),
                        java.util.Map.of("checkpointOfEpoch", checkpoint.state().epochsDone()));
            }
            return ModelFile.fromBytes(bytes, path.toString());
        } catch (java.io.FileNotFoundException e) {
            throw new FfsparkException("model file not found: " + absolute(modelPath, hadoop));
        } catch (IOException e) {
            throw new FfsparkException(modelPath + ": cannot be read: " + StorageProblem.describe(e), e);
        }
    }

    /** The path as a person finds it (absolute; no scheme on the local file system). */
    static String absolute(String path, Configuration hadoop) {
        try {
            Path p = new Path(path);
            return IdxFiles.absolute(p.getFileSystem(hadoop), p);
        } catch (IOException | IllegalArgumentException e) {
            return path;
        }
    }

    /** The network predicting as the {@code classifier} setting asks (empty: as it was trained to). */
    public static FFNetwork withClassifier(FFNetwork network, Settings settings, String modelPath) {
        String wanted = settings.text("classifier");
        if (wanted.isEmpty()) {
            return network;
        }
        Classifier classifier = Classifier.of(settings.choice("classifier", java.util.List.of("goodness", "readout")));
        if (!(network instanceof SimpleFFNetwork simple)) {
            if (classifier == Classifier.READOUT) {
                throw settings.invalid("classifier", "readout needs a simple model with a readout; " + modelPath
                        + " is a " + network.model() + " model");
            }
            return network;
        }
        if (classifier == Classifier.READOUT && !simple.hasReadout()) {
            throw settings.invalid("classifier", "readout needs a model trained with a readout; " + modelPath
                    + " has none");
        }
        return simple.withClassifier(classifier);
    }

    /** How the network predicts, as the {@code classifier} key names it. */
    public static String classifierOf(FFNetwork network) {
        return network instanceof SimpleFFNetwork s ? s.design().classifier().text() : Classifier.GOODNESS.text();
    }
}
