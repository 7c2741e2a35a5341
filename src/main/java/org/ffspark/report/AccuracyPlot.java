package org.ffspark.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.util.List;
import java.util.Locale;

/**
 * A PNG scatter plot of test accuracy against the number of hidden neurons (log scale), with a
 * dashed line at the neuron budget. Drawn with the JDK's own 2D graphics (headless), no plotting
 * library.
 */
public final class AccuracyPlot {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;
    private static final int LEFT = 80;
    private static final int RIGHT = 40;
    private static final int TOP = 50;
    private static final int BOTTOM = 70;

    /** One point of the plot. */
    public record Point(int neurons, double accuracy, String label) {
    }

    private AccuracyPlot() {
    }

    public static byte[] png(String title, List<Point> points, int budget) {
        Canvas canvas = new Canvas(WIDTH, HEIGHT);
        Graphics2D g = canvas.g;

        double minX = budget > 0 ? budget : Double.MAX_VALUE;
        double maxX = budget > 0 ? budget : 1;
        double minY = 1;
        for (Point p : points) {
            minX = Math.min(minX, p.neurons());
            maxX = Math.max(maxX, p.neurons());
            minY = Math.min(minY, p.accuracy());
        }
        if (minX == Double.MAX_VALUE) {
            minX = 1;
        }
        double logMin = Math.floor(Math.log10(Math.max(1, minX)));
        double logMax = Math.max(logMin + 1, Math.ceil(Math.log10(maxX) + 0.05));
        double yMin = Math.max(0, Math.floor(minY * 10 - 0.5) / 10);
        double yMax = 1.0;
        Axes axes = new Axes(logMin, logMax, yMin, yMax);

        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        drawGrid(g, axes);

        if (budget > 0) {
            int x = axes.x(budget);
            g.setColor(new Color(200, 30, 30));
            g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f));
            g.drawLine(x, TOP, x, HEIGHT - BOTTOM);
            g.setStroke(new BasicStroke(1f));
            g.drawString("budget: " + budget + " neurons", x + 6, TOP + 14);
        }

        FontMetrics metrics = g.getFontMetrics();
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            int x = axes.x(p.neurons());
            int y = axes.y(p.accuracy());
            g.setColor(budget > 0 && p.neurons() < budget ? new Color(200, 30, 30) : new Color(30, 90, 180));
            g.fillOval(x - 6, y - 6, 12, 12);
            g.setColor(Color.DARK_GRAY);
            String text = String.format(Locale.ROOT, "%s  %.1f%%", p.label(), 100 * p.accuracy());
            int overlap = 0;
            for (int j = 0; j < i; j++) {
                if (Math.abs(axes.x(points.get(j).neurons()) - x) < 40
                        && Math.abs(axes.y(points.get(j).accuracy()) - y) < 16) {
                    overlap++;
                }
            }
            int tx = Math.min(x + 10, WIDTH - RIGHT - metrics.stringWidth(text));
            g.drawString(text, tx, y - 8 + 16 * overlap);
        }
        return canvas.png();
    }

    private record Axes(double logMin, double logMax, double yMin, double yMax) {
        int x(double neurons) {
            double f = (Math.log10(neurons) - logMin) / (logMax - logMin);
            return LEFT + (int) Math.round(f * (WIDTH - LEFT - RIGHT));
        }

        int y(double accuracy) {
            double f = (accuracy - yMin) / (yMax - yMin);
            return HEIGHT - BOTTOM - (int) Math.round(f * (HEIGHT - TOP - BOTTOM));
        }
    }

    private static void drawGrid(Graphics2D g, Axes a) {
        Color grid = new Color(225, 225, 225);
        for (int e = (int) a.logMin(); e <= (int) a.logMax(); e++) {
            for (int m = 1; m < 10; m++) {
                double v = m * Math.pow(10, e);
                if (Math.log10(v) > a.logMax() + 1e-9) {
                    break;
                }
                int x = a.x(v);
                g.setColor(m == 1 ? new Color(190, 190, 190) : grid);
                g.drawLine(x, TOP, x, HEIGHT - BOTTOM);
                if (m == 1) {
                    g.setColor(Color.BLACK);
                    String label = String.format(Locale.ROOT, "%.0f", v);
                    g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, HEIGHT - BOTTOM + 18);
                }
            }
        }
        for (double y = a.yMin(); y <= a.yMax() + 1e-9; y += 0.1) {
            int py = a.y(y);
            g.setColor(grid);
            g.drawLine(LEFT, py, WIDTH - RIGHT, py);
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%.0f%%", 100 * y), LEFT - 45, py + 4);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
        g.drawString("hidden neurons (log scale)", WIDTH / 2 - 70, HEIGHT - 25);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString("test accuracy", -(HEIGHT / 2) - 40, 22);
        rotated.dispose();
    }
}
