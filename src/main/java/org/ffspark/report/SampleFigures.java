package org.ffspark.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.Locale;
import org.ffspark.eval.ConfusionMatrix;

/** The report's figures about individual test images and about the confusion matrix. */
final class SampleFigures {
    private static final Color RIGHT = new Color(0, 140, 90);
    private static final Color WRONG = new Color(200, 40, 40);

    private SampleFigures() {
    }

    /** Test images, each captioned with its true and predicted label (red when they differ). */
    static byte[] digits(Samples s) {
        int scale = Math.max(1, 112 / Math.max(s.rows(), s.cols()));
        int cellW = s.cols() * scale + 30;
        int cellH = s.rows() * scale + 50;
        int perRow = Math.min(5, s.count());
        int rowsOfCells = (s.count() + perRow - 1) / perRow;
        Canvas c = new Canvas(Math.max(perRow * cellW + 20, 420), rowsOfCells * cellH + 50);
        c.title("Test images: true and predicted label", 10, 25);
        for (int i = 0; i < s.count(); i++) {
            int x0 = 15 + (i % perRow) * cellW;
            int y0 = 40 + (i / perRow) * cellH;
            for (int r = 0; r < s.rows(); r++) {
                for (int col = 0; col < s.cols(); col++) {
                    int v = 255 - (s.pixels()[(i * s.rows() + r) * s.cols() + col] & 0xFF);
                    c.g.setColor(new Color(v, v, v));
                    c.g.fillRect(x0 + col * scale, y0 + r * scale, scale, scale);
                }
            }
            boolean right = s.trueLabels()[i] == s.predicted()[i];
            c.g.setColor(right ? RIGHT : WRONG);
            c.g.drawRect(x0 - 1, y0 - 1, s.cols() * scale + 1, s.rows() * scale + 1);
            c.g.setFont(Canvas.TEXT);
            c.g.drawString(String.format(Locale.ROOT, "true %d, predicted %d", s.trueLabels()[i], s.predicted()[i]),
                    x0, y0 + s.rows() * scale + 18);
        }
        return c.png();
    }

    /**
     * For each test image, the goodness of every label hypothesis: the network's evidence. The true
     * label's bar is outlined, the predicted (highest) one filled dark.
     */
    static byte[] goodnessByLabel(Samples s) {
        int classes = s.classes();
        int panelW = 250;
        int panelH = 180;
        int perRow = Math.min(5, s.count());
        int rowsOfPanels = (s.count() + perRow - 1) / perRow;
        Canvas c = new Canvas(perRow * panelW + 20, rowsOfPanels * panelH + 70);
        c.title("Goodness of each label hypothesis, summed over layers (outlined: true label; dark: predicted)", 10, 25);
        for (int i = 0; i < s.count(); i++) {
            int x0 = 20 + (i % perRow) * panelW;
            int y0 = 50 + (i / perRow) * panelH;
            double max = 0;
            for (int k = 0; k < classes; k++) {
                max = Math.max(max, s.goodness()[i * classes + k]);
            }
            max = max <= 0 ? 1 : max;
            int plotH = panelH - 60;
            int barW = (panelW - 40) / classes;
            boolean right = s.trueLabels()[i] == s.predicted()[i];
            c.g.setFont(Canvas.TEXT);
            c.g.setColor(right ? RIGHT : WRONG);
            c.g.drawString(String.format(Locale.ROOT, "image %d: true %d, predicted %d", i + 1, s.trueLabels()[i],
                    s.predicted()[i]), x0, y0 + 12);
            int base = y0 + 30 + plotH;
            for (int k = 0; k < classes; k++) {
                double gk = Math.max(0, s.goodness()[i * classes + k]);
                int h = (int) Math.round(gk / max * plotH);
                int x = x0 + k * barW;
                c.g.setColor(k == s.predicted()[i] ? new Color(0, 80, 140) : new Color(150, 190, 225));
                c.g.fillRect(x + 2, base - h, barW - 4, h);
                if (k == s.trueLabels()[i]) {
                    c.g.setColor(RIGHT);
                    c.g.setStroke(new BasicStroke(2.5f));
                    c.g.drawRect(x + 1, base - h - 1, barW - 2, h + 1);
                    c.g.setStroke(new BasicStroke(1f));
                }
                c.g.setColor(Color.BLACK);
                c.g.setFont(Canvas.SMALL);
                c.centred(Integer.toString(k), x + barW / 2, base + 12);
            }
            c.g.setColor(Color.GRAY);
            c.g.drawLine(x0, base, x0 + classes * barW, base);
            c.g.setFont(Canvas.SMALL);
            c.g.drawString(String.format(Locale.ROOT, "highest %.3g", max), x0, y0 + 26);
        }
        return c.png();
    }

    /** The confusion matrix as counts on cells shaded by the share of their true class. */
    static byte[] confusion(ConfusionMatrix m, String title) {
        int n = m.classes();
        int cell = 46;
        int left = 80;
        int top = 70;
        Canvas c = new Canvas(left + n * cell + 40, top + n * cell + 60);
        c.title(title, 10, 25);
        c.g.setFont(Canvas.TEXT);
        c.g.setColor(Color.BLACK);
        c.centred("predicted label", left + n * cell / 2, top - 28);
        for (int t = 0; t < n; t++) {
            long rowTotal = 0;
            for (int p = 0; p < n; p++) {
                rowTotal += m.count(t, p);
            }
            c.g.setColor(Color.BLACK);
            c.g.setFont(Canvas.TEXT);
            c.centred(Integer.toString(t), left + t * cell + cell / 2, top - 8);
            c.g.drawString(Integer.toString(t), left - 18, top + t * cell + cell / 2 + 4);
            for (int p = 0; p < n; p++) {
                long count = m.count(t, p);
                double share = rowTotal == 0 ? 0 : (double) count / rowTotal;
                Color colour = t == p
                        ? blend(new Color(0, 114, 178), share)
                        : blend(new Color(213, 94, 0), Math.min(1, share * 8));
                c.g.setColor(colour);
                c.g.fillRect(left + p * cell, top + t * cell, cell - 1, cell - 1);
                c.g.setColor(share > 0.5 && t == p ? Color.WHITE : Color.BLACK);
                c.centred(Long.toString(count), left + p * cell + cell / 2, top + t * cell + cell / 2 + 4);
            }
        }
        c.g.setColor(Color.BLACK);
        c.g.rotate(-Math.PI / 2);
        c.centred("true label", -(top + n * cell / 2), 30);
        c.g.rotate(Math.PI / 2);
        c.g.drawString(String.format(Locale.ROOT, "accuracy %.2f%% on %d images", 100 * m.accuracy(), m.total()),
                left, top + n * cell + 30);
        return c.png();
    }

    private static Color blend(Color full, double amount) {
        double a = Math.max(0, Math.min(1, amount));
        return new Color((int) Math.round(255 + (full.getRed() - 255) * a),
                (int) Math.round(255 + (full.getGreen() - 255) * a),
                (int) Math.round(255 + (full.getBlue() - 255) * a));
    }

    /**
     * Test images with what the network made of them.
     *
     * @param goodness {@code count x classes}, goodness summed over layers per label hypothesis
     */
    record Samples(int count, int rows, int cols, byte[] pixels, int[] trueLabels, int[] predicted,
                   float[] goodness, int classes) {
    }
}
