package org.ffspark.report;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.apache.commons.text.StringEscapeUtils;
import org.ffspark.config.ConfigKey;
import org.ffspark.data.LabeledImages;
import org.ffspark.eval.BlockEvaluation;
import org.ffspark.eval.ConfusionMatrix;
import org.ffspark.model.FFNetwork;
import org.ffspark.model.LabelScorer;
import org.ffspark.store.RunOutput;
import org.ffspark.train.EpochMetrics;

/**
 * A run's report in {@code out/report/}: the learning curves, what the network makes of ten test
 * images, and the confusion matrix, as PNG files, and one {@code index.html} that carries the same
 * figures inline (data URIs) with the config and summary tables, so it can be mailed or opened from
 * object storage on its own.
 */
public final class RunReport {
    public static final String FOLDER = "report";
    public static final String INDEX = "index.html";

    /** A figure: its file name, caption and PNG bytes. */
    public record Figure(String file, String caption, byte[] png) {
    }

    private RunReport() {
    }

    /**
     * Draws every figure of a run.
     *
     * @param samples the first test images, scored with the trained network for the per-image figures;
     *                null for data that is not images
     */
    public static List<Figure> figures(List<EpochMetrics> history, FFNetwork network, LabeledImages samples) {
        int layers = network.layers();
        List<Figure> figures = new ArrayList<>();

        LineChart loss = new LineChart("FF loss per layer (softplus, per positive-negative pair)", "loss");
        for (int l = 0; l < layers; l++) {
            final int layer = l;
            loss.add("layer " + (l + 1), series(history, m -> m.loss()[layer]), false);
        }
        figures.add(new Figure("loss.png", "Loss of each layer's local objective, per epoch.", loss.png()));

        figures.add(new Figure("accuracy.png", "Accuracy on the first training images and on the test set.",
                new LineChart("Accuracy", "accuracy").percent()
                        .add("train", series(history, EpochMetrics::trainAccuracy), false)
                        .add("test", series(history, EpochMetrics::testAccuracy), false).png()));

        LineChart goodness = new LineChart("Mean goodness of positive (solid) and negative (dashed) samples",
                "goodness");
        LineChart separation = new LineChart("Separation: mean positive minus mean negative goodness",
                "goodness difference");
        for (int l = 0; l < layers; l++) {
            final int layer = l;
            goodness.add("layer " + (l + 1) + " positive", series(history, m -> m.positiveGoodness()[layer]), false);
            goodness.add("layer " + (l + 1) + " negative", series(history, m -> m.negativeGoodness()[layer]), true);
            separation.add("layer " + (l + 1),
                    series(history, m -> m.positiveGoodness()[layer] - m.negativeGoodness()[layer]), false);
        }
        java.util.Set<Float> thresholds = new java.util.TreeSet<>();
        for (int l = 0; l < layers; l++) {
            thresholds.add(network.rule().threshold(network.width(l)));
        }
        for (float t : thresholds) {
            goodness.line(t, "threshold " + (t == Math.rint(t) ? Integer.toString((int) t) : Float.toString(t)));
        }
        figures.add(new Figure("goodness.png", "Mean goodness per layer of the epoch's positive samples (true "
                + "label) and negative samples (a wrong label), and the threshold the loss pushes them across "
                + "(dotted).", goodness.png()));
        figures.add(new Figure("separation.png", "How far apart positive and negative goodness are, per layer.",
                separation.png()));

        if (!history.isEmpty() && history.get(history.size() - 1).settling() != null) {
            EpochMetrics last = history.get(history.size() - 1);
            LineChart settling = new LineChart("Settling in epoch " + last.epoch()
                    + ": true label solid, wrong label dashed", "goodness").xAxis("iteration");
            for (int l = 0; l < layers; l++) {
                settling.add("layer " + (l + 1) + " true label", last.settling().positive()[l], false);
                settling.add("layer " + (l + 1) + " wrong label", last.settling().negative()[l], true);
            }
            figures.add(new Figure("settling.png", "The recurrent network's settling during the last epoch's "
                    + "training: mean goodness of each layer after each synchronous update, with the true label "
                    + "clamped on top and with a wrong one.", settling.png()));
        }

        if (samples != null) { // images (not a dataset of other vectors): what the network makes of a few
            SampleFigures.Samples scored = score(network, samples);
            figures.add(new Figure("goodness-by-label.png", "For each of the first " + scored.count()
                    + " test images, the score of every label hypothesis; the prediction is the highest.",
                    SampleFigures.goodnessByLabel(scored)));
            figures.add(new Figure("test-images.png", "The same test images with their true and predicted labels.",
                    SampleFigures.digits(scored)));
        }
        if (!history.isEmpty()) {
            ConfusionMatrix last = history.get(history.size() - 1).test();
            figures.add(new Figure("confusion.png", "Confusion matrix on the test set after the last epoch (rows: "
                    + "true label, columns: predicted).", SampleFigures.confusion(last, "Confusion matrix (test set, "
                    + "epoch " + history.get(history.size() - 1).epoch() + ")")));
        }
        return figures;
    }

    /** Writes the figures and {@code index.html} (last, so a complete index means a complete report). */
    public static void write(RunOutput report, List<Figure> figures, RunSummary summary,
                             List<EpochMetrics> history) {
        report.prepareDirectory();
        for (Figure f : figures) {
            report.write(f.file(), f.png());
        }
        report.write(INDEX, html(figures, summary, history).getBytes(StandardCharsets.UTF_8));
    }

    /** The sample images scored as evaluation scores them (the same pixel scaling, the same kernels). */
    static SampleFigures.Samples score(FFNetwork network, LabeledImages samples) {
        int n = samples.count();
        float[] goodness = BlockEvaluation.scores(network, samples.blocks(1).get(0));
        int[] predicted = LabelScorer.predictions(goodness, n, network.classes());
        int[] truth = new int[n];
        for (int i = 0; i < n; i++) {
            truth[i] = samples.label(i);
        }
        return new SampleFigures.Samples(n, samples.rows(), samples.cols(), samples.pixels(), truth, predicted,
                goodness, network.classes());
    }

    private static double[] series(List<EpochMetrics> history, ToDoubleFunction<EpochMetrics> value) {
        return history.stream().mapToDouble(value).toArray();
    }

    /** The summary fields shown, with the labels a person reads. */
    private static final List<Map.Entry<String, String>> SUMMARY_LABELS = List.of(
            Map.entry("testAccuracy", "final test accuracy"),
            Map.entry("bestTestAccuracy", "best test accuracy"),
            Map.entry("bestEpoch", "best epoch"),
            Map.entry("trainAccuracy", "train accuracy (first images)"),
            Map.entry("classifier", "classified by"),
            Map.entry("epochs", "epochs"),
            Map.entry("model", "model"),
            Map.entry("hidden", "hidden layers"),
            Map.entry("parameters", "parameters"),
            Map.entry("trainImages", "training images"),
            Map.entry("testImages", "test images"),
            Map.entry("learningRate", "learning rate"),
            Map.entry("lrDecay", "learning-rate decay"),
            Map.entry("sync", "synchronisation"),
            Map.entry("epochSeconds", "median epoch (s)"),
            Map.entry("trainSeconds", "median training (s)"),
            Map.entry("evalSeconds", "median evaluation (s)"),
            Map.entry("totalSeconds", "training and evaluation in all (s)"),
            Map.entry("secondsToAccuracy", "seconds until the test accuracy reached"),
            Map.entry("overheadMsPerJob", "Spark overhead per job (ms)"),
            Map.entry("gemmGflopsPerCore", "matrix products (GFLOP/s per core)"),
            Map.entry("partitions", "partitions"),
            Map.entry("master", "Spark master"),
            Map.entry("blas", "BLAS"),
            Map.entry("sums", "sums of squares"),
            Map.entry("ffspark", "ffspark"),
            Map.entry("spark", "Spark"),
            Map.entry("java", "Java"));

    static String html(List<Figure> figures, RunSummary summary, List<EpochMetrics> history) {
        Map<String, Object> fields = Json.map(summary);
        StringBuilder h = new StringBuilder(1 << 16);
        String model = "recurrent".equals(summary.model()) ? "recurrent Forward-Forward" : "simple Forward-Forward";
        String hidden = String.valueOf(summary.hidden());
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<title>ffspark run: ").append(escape(model)).append(", hidden ").append(escape(hidden))
                .append("</title>\n")
                .append("<style>body{font-family:sans-serif;margin:24px;max-width:1400px;color:#222}")
                .append("table{border-collapse:collapse;margin:8px 0 20px}td,th{border:1px solid #ccc;")
                .append("padding:3px 8px;text-align:left;font-size:13px}th{background:#f2f2f2}")
                .append("figure{margin:18px 0}figcaption{font-size:13px;color:#555}img{max-width:100%}")
                .append(".cols{display:flex;gap:32px;flex-wrap:wrap}</style></head><body>\n");
        h.append("<h1>ffspark run: ").append(escape(model)).append(", hidden ").append(escape(hidden))
                .append("</h1>\n");
        h.append(String.format(Locale.ROOT, "<p>Final test accuracy <b>%s</b>, best %s (epoch %d), after %d epochs; "
                        + "median %s s per epoch.</p>\n", percent(summary.testAccuracy()),
                percent(summary.bestTestAccuracy()), summary.bestEpoch(), summary.epochs(),
                number(summary.epochSeconds())));

        h.append("<div class=\"cols\"><div><h2>Summary</h2>\n<table>");
        for (Map.Entry<String, String> label : SUMMARY_LABELS) {
            Object v = fields.get(label.getKey());
            if (v == null || v instanceof Number n && Double.isNaN(n.doubleValue())) {
                continue;
            }
            h.append("<tr><th>").append(escape(label.getValue())).append("</th><td>").append(cell(label.getKey(), v))
                    .append("</td></tr>");
        }
        h.append("</table>\n");
        if (!summary.classifiers().isEmpty()) {
            h.append("<h2>Classifiers</h2>\n<table><tr><th>classified by</th><th>test accuracy</th>")
                    .append("<th>evaluation (s)</th></tr>");
            for (RunSummary.ClassifierFigures c : summary.classifiers()) {
                h.append("<tr><td>").append(escape(c.name())).append("</td><td>").append(percent(c.testAccuracy()))
                        .append("</td><td>").append(number(c.evalSeconds())).append("</td></tr>");
            }
            h.append("</table>\n");
        }
        double[] classes = summary.classAccuracy();
        h.append("<h2>Test accuracy per class</h2>\n<table><tr>");
        for (int c = 0; c < classes.length; c++) {
            h.append("<th>").append(c).append("</th>");
        }
        h.append("</tr><tr>");
        for (double a : classes) {
            h.append("<td>").append(percent(a)).append("</td>");
        }
        h.append("</tr></table>\n");
        h.append("</div><div><h2>Config</h2>\n<table>");
        for (Map.Entry<String, String> e : ConfigKey.relevant(summary.model(), summary.config()).entrySet()) {
            h.append("<tr><th>").append(escape(e.getKey())).append("</th><td>").append(escape(e.getValue()))
                    .append("</td></tr>");
        }
        h.append("</table></div></div>\n<h2>Figures</h2>\n");
        for (Figure f : figures) {
            h.append("<figure><img alt=\"").append(escape(f.caption())).append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(f.png())).append("\"><figcaption>")
                    .append(escape(f.caption())).append(" (also <a href=\"").append(escape(f.file())).append("\">")
                    .append(escape(f.file())).append("</a>)</figcaption></figure>\n");
        }
        h.append("<h2>Per epoch</h2>\n<table><tr><th>epoch</th><th>loss per layer</th><th>g+ / g- per layer</th>")
                .append("<th>train</th><th>test</th><th>train s</th><th>eval s</th></tr>\n");
        for (EpochMetrics m : history) {
            StringBuilder lossText = new StringBuilder();
            StringBuilder goodText = new StringBuilder();
            for (int l = 0; l < m.loss().length; l++) {
                lossText.append(String.format(Locale.ROOT, "%s%.4f", l == 0 ? "" : " ", m.loss()[l]));
                goodText.append(String.format(Locale.ROOT, "%s%.3g/%.3g", l == 0 ? "" : " ", m.positiveGoodness()[l],
                        m.negativeGoodness()[l]));
            }
            h.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
                            + "<td>%.2f</td><td>%.2f</td></tr>\n", m.epoch(), lossText, goodText,
                    m.evaluated() ? percent(m.trainAccuracy()) : "-", m.evaluated() ? percent(m.testAccuracy()) : "-",
                    m.trainSeconds(), m.evalSeconds()));
        }
        h.append("</table>\n</body></html>\n");
        return h.toString();
    }

    private static String cell(String key, Object v) {
        if (v instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                return "none";
            }
            StringBuilder s = new StringBuilder();
            map.forEach((k, value) -> s.append(s.length() == 0 ? "" : ", ").append(k).append(": ")
                    .append(value instanceof Double d ? number(d) + " s" : String.valueOf(value)));
            return escape(s.toString());
        }
        if (key.toLowerCase(Locale.ROOT).endsWith("accuracy") && v instanceof Number) {
            return percent(v);
        }
        if (v instanceof Double d) {
            return number(d);
        }
        if (v instanceof Object[] || v instanceof int[] || v instanceof List) {
            return escape(v instanceof int[] a ? java.util.Arrays.toString(a) : String.valueOf(v));
        }
        return escape(v);
    }

    private static String percent(Object v) {
        return v instanceof Number n && Double.isFinite(n.doubleValue())
                ? String.format(Locale.ROOT, "%.2f%%", 100 * n.doubleValue()) : "n/a";
    }

    private static String number(Object v) {
        return v instanceof Number n ? String.format(Locale.ROOT, "%.4g", n.doubleValue()) : escape(v);
    }

    static String escape(Object value) {
        return StringEscapeUtils.escapeHtml4(String.valueOf(value));
    }
}
