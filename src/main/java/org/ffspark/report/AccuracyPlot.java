package org.ffspark.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.text.DecimalFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.XYItemLabelGenerator;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A grid's test accuracy against its hidden neurons (log scale when they span more than a factor of
 * four), one colour per group of points (the model: FF and its backprop twin), each point labelled,
 * the neuron budget as a dashed line.
 */
public final class AccuracyPlot {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;

    /** One point of the plot; {@code group} names its colour in the legend. */
    public record Point(int neurons, double accuracy, String label, String group) {
    }

    private AccuracyPlot() {
    }

    public static byte[] png(String title, List<Point> points, int budget) {
        Map<String, XYSeries> groups = new LinkedHashMap<>();
        Map<String, List<String>> labels = new LinkedHashMap<>();
        for (Point p : points) {
            groups.computeIfAbsent(p.group(), g -> new XYSeries(g, false, true)).add(p.neurons(), p.accuracy());
            labels.computeIfAbsent(p.group(), g -> new java.util.ArrayList<>()).add(p.label());
        }
        XYSeriesCollection data = new XYSeriesCollection();
        groups.values().forEach(data::addSeries);
        int fewest = points.stream().mapToInt(Point::neurons).min().orElse(1);
        int most = Math.max(budget, points.stream().mapToInt(Point::neurons).max().orElse(1));
        ValueAxis x;
        if (most > 4 * fewest) {
            LogAxis log = new LogAxis("hidden neurons (log scale)");
            log.setSmallestValue(1);
            log.setNumberFormatOverride(new DecimalFormat("0"));
            x = log;
        } else {
            // a narrow range (a neuron budget's networks): whole numbers on a linear axis, or a log axis
            // would print the same rounded tick many times
            NumberAxis linear = new NumberAxis("hidden neurons");
            linear.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
            linear.setAutoRangeIncludesZero(false);
            x = linear;
        }
        // room for the labels of the outermost points
        x.setLowerMargin(0.2);
        x.setUpperMargin(0.2);
        NumberAxis y = new NumberAxis("test accuracy");
        y.setAutoRangeIncludesZero(false);
        y.setNumberFormatOverride(new DecimalFormat("0.#%"));
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
        XYItemLabelGenerator pointLabels = (dataset, s, item) -> labels.get(dataset.getSeriesKey(s).toString())
                .get(item);
        for (int s = 0; s < data.getSeriesCount(); s++) {
            renderer.setSeriesPaint(s, LineChart.PALETTE[s % LineChart.PALETTE.length]);
            renderer.setSeriesShape(s, new Ellipse2D.Double(-5, -5, 10, 10));
            renderer.setSeriesItemLabelGenerator(s, pointLabels);
            renderer.setSeriesItemLabelsVisible(s, true);
            renderer.setSeriesItemLabelFont(s, new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            // the first group's labels right of their points, the others' left: twins at one neuron
            // count keep their labels apart
            renderer.setSeriesPositiveItemLabelPosition(s, s == 0
                    ? new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT)
                    : new ItemLabelPosition(ItemLabelAnchor.OUTSIDE9, TextAnchor.CENTER_RIGHT));
        }
        XYPlot plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(225, 225, 225));
        plot.setRangeGridlinePaint(new Color(225, 225, 225));
        if (budget > 0) {
            ValueMarker marker = new ValueMarker(budget, new Color(200, 30, 30), LineChart.DASHED);
            marker.setLabel("budget: fewer than " + budget + " neurons");
            marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            // left of the line: the budget is usually the largest count, at the plot's right edge
            marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            marker.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
            plot.addDomainMarker(marker);
        }
        JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setTitle(new TextTitle(title, new Font(Font.SANS_SERIF, Font.BOLD, 16)));
        chart.setBackgroundPaint(Color.WHITE);
        return LineChart.png(chart, WIDTH, HEIGHT);
    }
}
