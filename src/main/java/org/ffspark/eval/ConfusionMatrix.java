package org.ffspark.eval;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Counts of (true label, predicted label) pairs, and the accuracies read off them. */
public final class ConfusionMatrix implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int classes;
    private final long[] counts;

    public ConfusionMatrix(int classes) {
        this.classes = classes;
        this.counts = new long[classes * classes];
    }

    /** A matrix from its rows (true labels) of prediction counts. */
    public static ConfusionMatrix of(long[][] rows) {
        ConfusionMatrix m = new ConfusionMatrix(rows.length);
        for (int t = 0; t < rows.length; t++) {
            System.arraycopy(rows[t], 0, m.counts, t * rows.length, rows.length);
        }
        return m;
    }

    public void record(int trueLabel, int predicted) {
        counts[trueLabel * classes + predicted]++;
    }

    public ConfusionMatrix add(ConfusionMatrix other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        return this;
    }

    public int classes() {
        return classes;
    }

    public long count(int trueLabel, int predicted) {
        return counts[trueLabel * classes + predicted];
    }

    public long total() {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        return total;
    }

    public double accuracy() {
        long correct = 0;
        for (int c = 0; c < classes; c++) {
            correct += count(c, c);
        }
        long total = total();
        return total == 0 ? Double.NaN : (double) correct / total;
    }

    /** Per true class, the fraction predicted right (NaN for a class with no images). */
    public double[] classAccuracy() {
        double[] accuracy = new double[classes];
        for (int c = 0; c < classes; c++) {
            long row = 0;
            for (int p = 0; p < classes; p++) {
                row += count(c, p);
            }
            accuracy[c] = row == 0 ? Double.NaN : (double) count(c, c) / row;
        }
        return accuracy;
    }

    /** Rows are true labels, columns predictions. */
    public long[][] rows() {
        long[][] rows = new long[classes][classes];
        for (int t = 0; t < classes; t++) {
            System.arraycopy(counts, t * classes, rows[t], 0, classes);
        }
        return rows;
    }

    /** Each class's accuracy as a line: {@code 0:98.9% 1:97.2% ...}. */
    public String classAccuracyText() {
        List<String> parts = new ArrayList<>();
        double[] accuracy = classAccuracy();
        for (int c = 0; c < accuracy.length; c++) {
            parts.add(String.format(Locale.ROOT, "%d:%.1f%%", c, 100 * accuracy[c]));
        }
        return String.join(" ", parts);
    }

    /** A fixed-width table for the console. */
    public String format() {
        StringBuilder s = new StringBuilder("true\\pred");
        for (int p = 0; p < classes; p++) {
            s.append(String.format("%7d", p));
        }
        s.append('\n');
        for (int t = 0; t < classes; t++) {
            s.append(String.format("%9d", t));
            for (int p = 0; p < classes; p++) {
                s.append(String.format("%7d", count(t, p)));
            }
            s.append('\n');
        }
        return s.toString();
    }
}
