package org.ffspark.report;

import java.io.PrintStream;
import java.util.Locale;
import org.ffspark.train.EpochMetrics;
import org.ffspark.train.TrainingListener;
import org.ffspark.train.TrainingState;

/** One console line per epoch: losses, goodness, accuracies, seconds and the time left. */
public final class ConsoleProgress implements TrainingListener {
    private final PrintStream out;
    private final String label;
    private double secondsSoFar;
    private int epochsSeen;

    /** @param label printed before every line (e.g. a grid point), or "" */
    public ConsoleProgress(PrintStream out, String label) {
        this.out = out;
        this.label = label;
    }

    @Override
    public void epochFinished(EpochMetrics m, TrainingState state) {
        double seconds = m.trainSeconds() + m.evalSeconds();
        secondsSoFar += seconds;
        epochsSeen++; // this process's epochs: a resumed run did not time the ones before it
        double left = secondsSoFar / epochsSeen * (m.epochs() - m.epoch());
        StringBuilder line = new StringBuilder(label);
        int digits = String.valueOf(m.epochs()).length();
        line.append(String.format(Locale.ROOT, "epoch %" + digits + "d/%d  loss", m.epoch(), m.epochs()));
        for (double l : m.loss()) {
            line.append(String.format(Locale.ROOT, " %.4f", l));
        }
        line.append("  g+/g-");
        for (int l = 0; l < m.loss().length; l++) {
            line.append(String.format(Locale.ROOT, " %.2f/%.2f", m.positiveGoodness()[l],
                    m.negativeGoodness()[l]));
        }
        line.append(String.format(Locale.ROOT,
                "  train %.2f%%  test %.2f%% (best %.2f%%)  %.1fs + %.1fs eval  ETA %s",
                100 * m.trainAccuracy(), 100 * m.testAccuracy(), 100 * m.bestTestAccuracy(),
                m.trainSeconds(), m.evalSeconds(), duration(left)));
        out.println(line);
        out.flush();
    }

    public static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        if (s >= 60) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return s + "s";
    }
}
