package org.ffspark.cli;

import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.ffspark.FfsparkException;
import org.ffspark.data.StorageProblem;
import org.ffspark.model.ModelFile;

/** Reads a model file from any Hadoop file system, with the commands' one-line errors. */
final class SavedModels {
    private SavedModels() {
    }

    static ModelFile.Saved read(String modelPath, Configuration hadoop) {
        Path path = new Path(modelPath);
        try (InputStream in = path.getFileSystem(hadoop).open(path)) {
            return ModelFile.read(in, modelPath);
        } catch (java.io.FileNotFoundException e) {
            throw new FfsparkException("model file not found: " + modelPath);
        } catch (IOException e) {
            throw new FfsparkException(modelPath + ": cannot be read: " + StorageProblem.describe(e), e);
        }
    }
}
