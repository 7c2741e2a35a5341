package org.ffspark.eval;

/**
 * Turning a classifier's scores into probabilities that mean what they say: a softmax over the scores
 * divided by a temperature fitted to labelled data (the one number that minimises the data's negative
 * log-likelihood), and the expected calibration error that measures how far the top probability is
 * from how often it is right.
 *
 * <p>FF's scores are goodness sums, whose scale depends on the widths and the threshold, not on how
 * sure the network is: a plain softmax over them is far from calibrated in either direction.
 */
public final class Calibration {
    /** Bins of the expected calibration error (equal width over the top probability). */
    public static final int BINS = 15;
    private static final double LOG_LOW = Math.log(1e-4);
    private static final double LOG_HIGH = Math.log(1e5);

    private Calibration() {
    }

    /** {@code scores[i * classes + c] / temperature} softmaxed per row into {@code out}. */
    public static void probabilities(float[] scores, int n, int classes, double temperature, double[] out) {
        for (int i = 0; i < n; i++) {
            int row = i * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, scores[row + c] / temperature);
            }
            double total = 0;
            for (int c = 0; c < classes; c++) {
                out[row + c] = Math.exp(scores[row + c] / temperature - max);
                total += out[row + c];
            }
            for (int c = 0; c < classes; c++) {
                out[row + c] /= total;
            }
        }
    }

    /** The mean negative log-likelihood of the true labels at {@code temperature}. */
    public static double negativeLogLikelihood(float[] scores, int[] labels, int n, int classes, double temperature) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            int row = i * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, scores[row + c] / temperature);
            }
            double total = 0;
            for (int c = 0; c < classes; c++) {
                total += Math.exp(scores[row + c] / temperature - max);
            }
            sum += Math.log(total) + max - scores[row + labels[i]] / temperature;
        }
        return sum / n;
    }

    /**
     * The temperature minimising the negative log-likelihood, by golden-section search over its
     * logarithm (the likelihood is unimodal in it), between 1e-4 and 1e5.
     */
    public static double fitTemperature(float[] scores, int[] labels, int n, int classes) {
        double ratio = (Math.sqrt(5) - 1) / 2;
        double a = LOG_LOW;
        double b = LOG_HIGH;
        double c = b - ratio * (b - a);
        double d = a + ratio * (b - a);
        double fc = negativeLogLikelihood(scores, labels, n, classes, Math.exp(c));
        double fd = negativeLogLikelihood(scores, labels, n, classes, Math.exp(d));
        for (int step = 0; step < 80; step++) {
            if (fc < fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - ratio * (b - a);
                fc = negativeLogLikelihood(scores, labels, n, classes, Math.exp(c));
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + ratio * (b - a);
                fd = negativeLogLikelihood(scores, labels, n, classes, Math.exp(d));
            }
        }
        return Math.exp((a + b) / 2);
    }

    /**
     * The expected calibration error at {@code temperature}: the samples binned by their top
     * probability, the gap between each bin's mean top probability and its accuracy, weighted by the
     * bin's share of the samples.
     */
    public static double expectedCalibrationError(float[] scores, int[] labels, int n, int classes,
                                                  double temperature) {
        double[] p = new double[n * classes];
        probabilities(scores, n, classes, temperature, p);
        double[] confidence = new double[BINS];
        double[] correct = new double[BINS];
        int[] count = new int[BINS];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (p[i * classes + c] > p[i * classes + best]) {
                    best = c;
                }
            }
            double top = p[i * classes + best];
            int bin = Math.min(BINS - 1, (int) (top * BINS));
            confidence[bin] += top;
            correct[bin] += best == labels[i] ? 1 : 0;
            count[bin]++;
        }
        double error = 0;
        for (int b = 0; b < BINS; b++) {
            if (count[b] > 0) {
                error += Math.abs(confidence[b] - correct[b]) / n;
            }
        }
        return error;
    }
}
