package org.ffspark.report;

import java.io.PrintStream;
import java.util.Locale;
import org.ffspark.train.EpochMetrics;
import org.ffspark.train.TrainingListener;
import org.ffspark.train.TrainingState;

/**
 * One console line per epoch: losses, goodness, accuracies, seconds and the time left. On a terminal,
 * a line inside each epoch shows the steps done and the training rate, rewritten in place about once
 * a second and replaced by the epoch's line; a log gets the epoch lines only.
 */
public final class ConsoleProgress implements TrainingListener {
    private static final long REDRAW_NANOS = 1_000_000_000L;

    private final PrintStream out;
    private final String label;
    private final boolean interactive;
    private double secondsSoFar;
    private int epochsSeen;
    private long epochStarted = System.nanoTime();
    private long lastDrawn;
    private int drawnLength;

    /**
     * @param label       printed before every line (e.g. a grid point), or ""
     * @param interactive whether {@code out} is a terminal that can rewrite a line in place
     */
    public ConsoleProgress(PrintStream out, String label, boolean interactive) {
        this.out = out;
        this.label = label;
        this.interactive = interactive;
    }

    public ConsoleProgress(PrintStream out, String label) {
        this(out, label, false);
    }

    @Override
    public void stepsDone(int epoch, int epochs, int step, int steps, long samples) {
        if (!interactive) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDrawn < REDRAW_NANOS && step < steps) {
            return;
        }
        lastDrawn = now;
        double seconds = (now - epochStarted) / 1e9;
        int digits = String.valueOf(epochs).length();
        String line = String.format(Locale.ROOT, "%sepoch %" + digits + "d/%d  step %d/%d  %.0f samples/s  %s",
                label, epoch, epochs, step, steps, samples / Math.max(seconds, 1e-9), duration(seconds));
        out.print("\r" + line + " ".repeat(Math.max(0, drawnLength - line.length())));
        out.flush();
        drawnLength = line.length();
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
        if (!Double.isNaN(m.training().readoutLoss())) {
            line.append(String.format(Locale.ROOT, " readout %.4f", m.training().readoutLoss()));
        }
        line.append("  g+/g-");
        for (int l = 0; l < m.loss().length; l++) {
            line.append(String.format(Locale.ROOT, " %.2f/%.2f", m.positiveGoodness()[l], m.negativeGoodness()[l]));
        }
        if (m.evaluated()) {
            line.append(String.format(Locale.ROOT, "  train %.2f%%  test %.2f%% (best %.2f%%)",
                    100 * m.trainAccuracy(), 100 * m.testAccuracy(), 100 * m.bestTestAccuracy()));
        }
        line.append(String.format(Locale.ROOT, "  %.1fs + %.1fs eval  ETA %s", m.trainSeconds(), m.evalSeconds(),
                duration(left)));
        if (interactive && drawnLength > 0) {
            out.print("\r" + " ".repeat(drawnLength) + "\r");
            drawnLength = 0;
        }
        lastDrawn = 0;
        out.println(line);
        out.flush();
        epochStarted = System.nanoTime();
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
