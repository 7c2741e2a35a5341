package org.ffspark.data;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * A training and a test set read from four IDX files and checked to agree with each other.
 *
 * @param sha256 the SHA-256 of each uncompressed file by its path, recorded as provenance
 */
public record IdxDataset(LabeledImages train, LabeledImages test, Map<String, String> sha256) {

    public static IdxDataset read(IdxFiles files, Configuration hadoop) {
        ImageSet trainImages = IdxFiles.readImages(files.trainImages(), hadoop);
        LabelSet trainLabels = IdxFiles.readLabels(files.trainLabels(), hadoop);
        ImageSet testImages = IdxFiles.readImages(files.testImages(), hadoop);
        LabelSet testLabels = IdxFiles.readLabels(files.testLabels(), hadoop);
        if (testImages.rows() != trainImages.rows() || testImages.cols() != trainImages.cols()) {
            throw new IdxFormatException(testImages.source(), "images are " + testImages.rows() + "x"
                    + testImages.cols() + " but the training images (" + trainImages.source()
                    + ") are " + trainImages.rows() + "x" + trainImages.cols());
        }
        Map<String, String> sums = new LinkedHashMap<>();
        sums.put(trainImages.source(), trainImages.sha256());
        sums.put(trainLabels.source(), trainLabels.sha256());
        sums.put(testImages.source(), testImages.sha256());
        sums.put(testLabels.source(), testLabels.sha256());
        return new IdxDataset(LabeledImages.of(trainImages, trainLabels),
                LabeledImages.of(testImages, testLabels), sums);
    }
}
