package org.ffspark.run;

import java.util.Map;
import org.ffspark.data.LabeledImages;
import org.ffspark.train.TrainingData;

/**
 * The data of a run, checked on the driver and cached as blocks on the executors.
 *
 * @param classes       the classes the labels name
 * @param sha256        SHA-256 of each input file (of a dataset's file listing), for provenance
 * @param reportSamples the first test images, drawn in the report; null for data that is not images
 */
public record PreparedData(TrainingData blocks, int features, int classes, Map<String, String> sha256,
                           LabeledImages reportSamples) {
}
