package org.ffspark.report;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.ffspark.eval.ConfusionMatrix;
import org.ffspark.train.EpochMetrics;
import org.ffspark.train.TrainingConfig;

/**
 * What {@code summary.json} holds: a run's final figures, medians of its per-epoch timings, the
 * model's shape and its provenance. Jackson writes and reads it as it is; {@code docs/formats.md}
 * describes every field.
 *
 * @param classifier  how the model predicts ({@code goodness} or {@code readout})
 * @param classifiers with a readout, the final test accuracy and evaluation time of both classifiers
 * @param epochSeconds median of training plus evaluation seconds over the epochs
 */
public record RunSummary(String model, List<Integer> hidden, long parameters, int trainImages, int testImages,
                         int epochs, double testAccuracy, double bestTestAccuracy, int bestEpoch,
                         double trainAccuracy, String classifier, List<ClassifierFigures> classifiers,
                         double learningRate, String lrDecay, String sync, double epochSeconds,
                         double trainSeconds, double evalSeconds, double totalSeconds, double overheadMsPerJob,
                         double gemmGflopsPerCore, double[] classAccuracy, long[][] confusionMatrix,
                         String modelFile, Map<String, String> config, Map<String, String> dataSha256,
                         String ffspark, String spark, String master, int partitions, String blas, String sums,
                         String java, Map<String, List<Integer>> executors, Map<String, Double> secondsToAccuracy) {

    /**
     * One classifier's final figures on the test set.
     *
     * @param name         {@code goodness} (one pass per label) or {@code readout} (one neutral pass)
     * @param evalSeconds  wall seconds of scoring the test set that way
     */
    public record ClassifierFigures(String name, double testAccuracy, double evalSeconds) {
    }

    /**
     * The summary of a finished run.
     *
     * @param finalTest the model's final confusion matrix on the test set (its classifier)
     */
    public static RunSummary of(TrainingConfig config, List<EpochMetrics> epochs, ConfusionMatrix finalTest,
                         List<ClassifierFigures> classifiers, String classifier, long parameters, int trainImages,
                         int testImages, Provenance provenance, String modelFile) {
        EpochMetrics last = epochs.get(epochs.size() - 1);
        int bestEpoch = 1;
        double best = -1;
        for (EpochMetrics m : epochs) {
            if (m.evaluated() && m.testAccuracy() > best) {
                best = m.testAccuracy();
                bestEpoch = m.epoch();
            }
        }
        double finalAccuracy = finalTest.accuracy();
        if (finalAccuracy > best) { // a readout fitted after the last epoch
            bestEpoch = epochs.size();
        }
        return new RunSummary(config.model(), config.hidden(), parameters, trainImages, testImages, epochs.size(),
                finalAccuracy, Math.max(last.bestTestAccuracy(), finalAccuracy), bestEpoch, last.trainAccuracy(),
                classifier, classifiers, config.optimizer().learningRate(), config.lrSchedule().text(),
                config.sync().text(),
                median(epochs.stream().mapToDouble(m -> m.trainSeconds() + m.evalSeconds()).toArray()),
                median(epochs.stream().mapToDouble(EpochMetrics::trainSeconds).toArray()),
                median(epochs.stream().filter(EpochMetrics::evaluated).mapToDouble(EpochMetrics::evalSeconds)
                        .toArray()),
                epochs.stream().mapToDouble(m -> m.trainSeconds() + m.evalSeconds()).sum(),
                median(epochs.stream().mapToDouble(m -> m.timing().overheadMillisPerJob()).toArray()),
                median(epochs.stream().mapToDouble(m -> m.timing().gemmGflopsPerCore()).toArray()),
                finalTest.classAccuracy(), finalTest.rows(), modelFile, provenance.config(),
                provenance.dataSha256(), provenance.ffspark(), provenance.spark(), provenance.master(),
                provenance.partitions(), provenance.blas(), provenance.sums(), provenance.java(),
                provenance.executors(), secondsToAccuracy(epochs, finalAccuracy));
    }

    /**
     * The training and evaluation seconds until a test accuracy was first measured at 98.0%, at 98.5%
     * and at the final accuracy (or above): what a user waits for a result. Only those reached.
     */
    static Map<String, Double> secondsToAccuracy(List<EpochMetrics> epochs, double finalAccuracy) {
        Map<String, Double> reached = new java.util.LinkedHashMap<>();
        double[] targets = {0.98, 0.985, finalAccuracy};
        String[] names = {"98.0%", "98.5%", "final"};
        for (int t = 0; t < targets.length; t++) {
            double seconds = 0;
            for (EpochMetrics m : epochs) {
                seconds += m.trainSeconds() + m.evalSeconds();
                if (m.evaluated() && m.testAccuracy() >= targets[t]) {
                    reached.put(names[t], seconds);
                    break;
                }
            }
        }
        return reached;
    }

    /**
     * The summary of a backpropagation twin's run ({@code model=mlp}): its L-BFGS iterations stand for
     * the epochs, and its seconds are the whole fit's.
     */
    public static RunSummary ofTwin(TrainingConfig config, ConfusionMatrix test, double trainAccuracy,
                                    int iterations, double seconds, long parameters, int trainImages,
                                    int testImages, Provenance provenance, String modelFile) {
        double perIteration = seconds / Math.max(1, iterations);
        return new RunSummary("mlp", config.hidden(), parameters, trainImages, testImages, iterations,
                test.accuracy(), test.accuracy(), iterations, trainAccuracy, "softmax", List.of(), Double.NaN, "none",
                "l-bfgs", perIteration, perIteration, 0, seconds, Double.NaN, Double.NaN, test.classAccuracy(),
                test.rows(), modelFile, provenance.config(), provenance.dataSha256(), provenance.ffspark(),
                provenance.spark(), provenance.master(), provenance.partitions(), provenance.blas(), provenance.sums(),
                provenance.java(), provenance.executors(), Map.of());
    }

    /** The median of {@code values} (NaN for none). */
    public static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
