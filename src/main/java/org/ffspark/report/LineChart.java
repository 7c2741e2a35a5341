package org.ffspark.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A line chart of series against the epoch (or the iteration), with a legend and optional horizontal
 * reference lines: the report's curves, drawn by JFreeChart.
 */
final class LineChart {
    private static final int WIDTH = 760;
    private static final int HEIGHT = 420;
    /** Colour-blind-safe series colours (Okabe and Ito). */
    static final Color[] PALETTE = {
        new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115), new Color(204, 121, 167),
        new Color(230, 159, 0), new Color(86, 180, 233), new Color(120, 120, 120), new Color(240, 228, 66)};
    static final BasicStroke DASHED = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
            new float[] {7f, 5f}, 0f);

    /** One curve; {@code dashed} tells a second family apart (e.g. negatives from positives). */
    private record Series(String name, double[] values, boolean dashed) {
    }

    /** A horizontal reference line. */
    private record Line(double value, String label) {
    }

    private final String title;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private final List<Line> lines = new ArrayList<>();
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

    /** A curve; points that are not finite (epochs that measured nothing) are left out. */
    LineChart add(String name, double[] values, boolean dashed) {
        series.add(new Series(name, values, dashed));
        return this;
    }

    /** A horizontal line at {@code value}, labelled. */
    LineChart line(double value, String label) {
        lines.add(new Line(value, label));
        return this;
    }

    /** Values are fractions shown as percentages. */
    LineChart percent() {
        percent = true;
        return this;
    }

    byte[] png() {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Series s : series) {
            XYSeries xy = new XYSeries(s.name(), false, true);
            for (int i = 0; i < s.values().length; i++) {
                if (Double.isFinite(s.values()[i])) {
                    xy.add(i + 1, s.values()[i]);
                }
            }
            data.addSeries(xy);
        }
        NumberAxis x = new NumberAxis(xLabel);
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        x.setAutoRangeIncludesZero(false);
        NumberAxis y = new NumberAxis(yLabel);
        y.setAutoRangeIncludesZero(false);
        if (percent) {
            y.setNumberFormatOverride(new DecimalFormat("0.##%"));
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        int colour = -1;
        for (int i = 0; i < series.size(); i++) {
            // A dashed series is the counterpart of the solid one before it and shares its colour.
            if (!series.get(i).dashed() || colour < 0) {
                colour++;
            }
            renderer.setSeriesPaint(i, PALETTE[colour % PALETTE.length]);
            renderer.setSeriesStroke(i, series.get(i).dashed() ? DASHED : new BasicStroke(2f));
            renderer.setSeriesShapesVisible(i, series.get(i).values().length == 1);
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(225, 225, 225));
        plot.setRangeGridlinePaint(new Color(225, 225, 225));
        for (Line l : lines) {
            ValueMarker marker = new ValueMarker(l.value(), new Color(90, 90, 90), new BasicStroke(1.2f,
                    BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {2f, 3f}, 0f));
            marker.setLabel(l.label());
            marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            marker.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
            plot.addRangeMarker(marker);
        }
        JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setTitle(new TextTitle(title, new Font(Font.SANS_SERIF, Font.BOLD, 15)));
        chart.setBackgroundPaint(Color.WHITE);
        return png(chart, WIDTH, HEIGHT);
    }

    /** A chart as PNG bytes, drawn headless. */
    static byte[] png(JFreeChart chart, int width, int height) {
        System.setProperty("java.awt.headless", "true");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ChartUtils.writeChartAsPNG(out, chart, width, height);
        } catch (IOException e) {
            throw new IllegalStateException("PNG encoding in memory failed", e);
        }
        return out.toByteArray();
    }
}
