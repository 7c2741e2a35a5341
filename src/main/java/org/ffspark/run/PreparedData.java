package org.ffspark.run;

import java.util.Map;
import org.ffspark.data.LabeledImages;
import org.ffspark.train.TrainingData;

/**
 * The data of a run, checked on the driver and cached as blocks on the executors.
 *
 * @param classes       the classes the labels name
 * @param sha256        SHA-256 of each input file as stored (of a dataset's file listing), for provenance
 * @param contentSha256 what identifies the data whatever its compression, for the resume fingerprint:
 *                      each IDX file's uncompressed contents (a dataset's file listing again)
 * @param reportSamples the first test images, drawn in the report; null for data that is not images
 */
public record PreparedData(TrainingData blocks, int features, int classes, Map<String, String> sha256,
                           Map<String, String> contentSha256, LabeledImages reportSamples) {
}
