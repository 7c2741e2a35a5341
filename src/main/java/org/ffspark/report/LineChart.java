package org.ffspark.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A line chart of series against the epoch (or the iteration), with a legend: the report's curves. */
final class LineChart {
    private static final int WIDTH = 760;
    private static final int HEIGHT = 420;
    private static final int LEFT = 70;
    private static final int RIGHT = 190;
    private static final int TOP = 45;
    private static final int BOTTOM = 50;

    /** One curve; {@code dashed} tells a second family apart (e.g. negatives from positives). */
    record Series(String name, double[] values, boolean dashed) {
    }

    private final String title;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private boolean percent;
    private String xLabel = "epoch";

    LineChart(String title, String yLabel) {
        this.title = title;
        this.yLabel = yLabel;
    }

    /** Names the x axis (points are numbered from 1): "epoch" unless told otherwise. */
    LineChart xAxis(String label) {
        xLabel = label;
        return this;
    }

    LineChart add(String name, double[] values, boolean dashed) {
        series.add(new Series(name, values, dashed));
        return this;
    }

    /** Values are fractions shown as percentages. */
    LineChart percent() {
        percent = true;
        return this;
    }

    byte[] png() {
        Canvas c = new Canvas(WIDTH, HEIGHT);
        c.title(title, LEFT, 28);
        int points = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            points = Math.max(points, s.values().length);
            for (double v : s.values()) {
                if (Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (min > max) {
            min = 0;
            max = 1;
        }
        if (max - min < 1e-9) {
            max = min + Math.max(1e-3, Math.abs(min) * 0.1);
        }
        double pad = (max - min) * 0.05;
        double[] ticks = ticks(min - pad, max + pad);
        double lo = ticks[0];
        double hi = ticks[ticks.length - 1];
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        int epochs = Math.max(points, 1);

        c.g.setFont(Canvas.TEXT);
        for (double t : ticks) {
            int y = TOP + plotH - (int) Math.round((t - lo) / (hi - lo) * plotH);
            c.g.setColor(new Color(228, 228, 228));
            c.g.drawLine(LEFT, y, LEFT + plotW, y);
            c.g.setColor(Color.BLACK);
            String text = percent ? String.format(Locale.ROOT, "%." + decimals(100 * (ticks[1] - ticks[0])) + "f%%", 100 * t)
                    : String.format(Locale.ROOT, "%." + decimals(ticks[1] - ticks[0]) + "f", t);
            c.g.drawString(text, LEFT - 8 - c.g.getFontMetrics().stringWidth(text), y + 4);
        }
        int step = Math.max(1, (int) Math.ceil(epochs / 10.0));
        for (int e = 1; e <= epochs; e += step) {
            int x = x(e, epochs, plotW);
            c.g.setColor(Color.BLACK);
            c.centred(Integer.toString(e), x, TOP + plotH + 18);
        }
        c.g.drawRect(LEFT, TOP, plotW, plotH);
        c.centred(xLabel, LEFT + plotW / 2, HEIGHT - 12);
        c.g.rotate(-Math.PI / 2);
        c.centred(yLabel, -(TOP + plotH / 2), 18);
        c.g.rotate(Math.PI / 2);

        int colourIndex = -1;
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            // A dashed series is the counterpart of the solid one before it and shares its colour.
            if (!s.dashed() || colourIndex < 0) {
                colourIndex++;
            }
            Color colour = Canvas.PALETTE[colourIndex % Canvas.PALETTE.length];
            c.g.setColor(colour);
            c.g.setStroke(s.dashed()
                    ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {7f, 5f}, 0f)
                    : new BasicStroke(2f));
            int px = -1;
            int py = -1;
            for (int e = 0; e < s.values().length; e++) {
                double v = s.values()[e];
                if (!Double.isFinite(v)) {
                    px = -1;
                    continue;
                }
                int x = x(e + 1, epochs, plotW);
                int y = TOP + plotH - (int) Math.round((v - lo) / (hi - lo) * plotH);
                if (px >= 0) {
                    c.g.drawLine(px, py, x, y);
                }
                if (s.values().length == 1) {
                    c.g.fillOval(x - 3, y - 3, 6, 6);
                }
                px = x;
                py = y;
            }
            int ly = TOP + 10 + 20 * i;
            c.g.drawLine(LEFT + plotW + 15, ly, LEFT + plotW + 45, ly);
            c.g.setStroke(new BasicStroke(1f));
            c.g.setColor(Color.BLACK);
            c.g.drawString(s.name(), LEFT + plotW + 52, ly + 4);
        }
        return c.png();
    }

    private static int x(int epoch, int epochs, int plotW) {
        return LEFT + (epochs == 1 ? plotW / 2 : (int) Math.round((epoch - 1) / (double) (epochs - 1) * plotW));
    }

    /** Decimals that show a tick spacing exactly (0.05 needs 2, 20 needs 0). */
    private static int decimals(double spacing) {
        return Math.max(0, (int) -Math.floor(Math.log10(spacing) + 1e-9));
    }

    /** About six round tick values covering [lo, hi]: 1, 2 or 5 times a power of ten apart. */
    static double[] ticks(double lo, double hi) {
        double raw = (hi - lo) / 6;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double r = raw / magnitude;
        double spacing = (r < 1.5 ? 1 : r < 3.5 ? 2 : r < 7.5 ? 5 : 10) * magnitude;
        double first = Math.floor(lo / spacing) * spacing;
        double last = Math.ceil(hi / spacing) * spacing;
        int n = (int) Math.round((last - first) / spacing) + 1;
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = first + i * spacing;
        }
        return t;
    }
}
