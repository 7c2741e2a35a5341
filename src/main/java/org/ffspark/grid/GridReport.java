package org.ffspark.grid;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.ffspark.report.AccuracyPlot;
import org.ffspark.store.RunOutput;

/**
 * The grid's results: {@code results.csv}, {@code results.md} (the table and the best points) and
 * {@code accuracy-vs-neurons.png}, written to the grid's output directory.
 */
public final class GridReport {
    public static final String CSV = "results.csv";
    public static final String MARKDOWN = "results.md";
    public static final String PLOT = "accuracy-vs-neurons.png";

    private GridReport() {
    }

    /**
     * A point's label on the plot: only the settings that tell it from the other points of its colour
     * (its model), so that twins at one neuron count do not print the same long line twice.
     */
    static String plotLabel(GridPointResult point, List<GridPointResult> plotted) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, String> e : point.varied().entrySet()) {
            String key = e.getKey();
            if (key.equals("model")) {
                continue;
            }
            boolean differs = plotted.stream().filter(o -> o.model().equals(point.model()))
                    .anyMatch(o -> !e.getValue().equals(o.varied().get(key)));
            if (differs) {
                parts.add(key.equals("hidden") ? "[" + e.getValue().replace(" ", "") + "]" : key + "=" + e.getValue());
            }
        }
        return parts.isEmpty() ? point.label() : String.join(" ", parts);
    }

    static void write(GridSpec spec, List<GridPointResult> results, RunOutput output, PrintStream console) {
        output.prepareDirectory();
        output.write(CSV, csv(results, spec.neuronBudget()).getBytes(StandardCharsets.UTF_8));
        String markdown = markdown(spec, results);
        output.write(MARKDOWN, markdown.getBytes(StandardCharsets.UTF_8));
        List<GridPointResult> plotted = results.stream().filter(r -> r.finished() && r.neurons() > 0).toList();
        List<AccuracyPlot.Point> points = new ArrayList<>();
        for (GridPointResult r : plotted) {
            points.add(new AccuracyPlot.Point(r.neurons(), r.testAccuracy(), plotLabel(r, plotted), r.model()));
        }
        output.write(PLOT, AccuracyPlot.png("Test accuracy against hidden neurons (" + spec.source() + ")",
                points, spec.neuronBudget()));
        console.print(markdown);
        console.println("wrote " + output.path(CSV) + ", " + output.path(MARKDOWN) + ", " + output.path(PLOT));
    }

    static String csv(List<GridPointResult> results, int budget) {
        StringBuilder s = new StringBuilder();
        try (CSVPrinter csv = new CSVPrinter(s, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').setHeader("point",
                "settings", "model", "hidden", "neurons", "parameters", "trained", "final_test_accuracy", "best_test_accuracy",
                "epoch_seconds", "within_budget", "status", "error").get())) {
            for (GridPointResult r : results) {
                csv.printRecord(r.index(), r.label(), r.model(), r.finished() ? r.hidden().toString().replace(" ", "") : "",
                        r.finished() ? r.neurons() : "", r.finished() ? r.parameters() : "", r.trainedText(),
                        number(r.testAccuracy(), "%.4f"), number(r.bestTestAccuracy(), "%.4f"),
                        number(r.epochSeconds(), "%.2f"),
                        r.finished() && budget > 0 ? Boolean.toString(r.neurons() < budget) : "", r.status(), r.error());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return s.toString();
    }

    static String markdown(GridSpec spec, List<GridPointResult> results) {
        StringBuilder s = new StringBuilder("# Grid " + spec.source() + "\n\n");
        s.append("| point | settings | model | hidden | neurons | parameters | trained | final test | best test | s/epoch | status |\n");
        s.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        int budget = spec.neuronBudget();
        for (GridPointResult r : results) {
            String neurons = r.finished() ? r.neurons() + (budget > 0 && r.neurons() < budget ? " (<" + budget + ")"
                    : budget > 0 ? " (over the budget)" : "") : "";
            s.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    r.index(), r.label(), r.model(), r.finished() ? r.hidden().toString().replace(" ", "") : "",
                    neurons, r.finished() ? Long.toString(r.parameters()) : "", r.trainedText(),
                    percent(r.testAccuracy()), percent(r.bestTestAccuracy()), number(r.epochSeconds(), "%.1f"),
                    r.status() + (r.error().isEmpty() ? "" : ": " + r.error().replace("|", "/"))));
        }
        s.append('\n');
        Optional<GridPointResult> best = best(results, Integer.MAX_VALUE);
        s.append("Best overall: ").append(best.map(GridReport::describe).orElse("none (no point finished)")).append('\n');
        if (budget > 0) {
            s.append("Best within the budget of fewer than ").append(budget).append(" neurons: ")
                    .append(best(results, budget).map(GridReport::describe).orElse("none")).append('\n');
            for (String model : List.of("simple", "recurrent")) {
                List<GridPointResult> ofModel = results.stream().filter(r -> r.model().equals(model)).toList();
                best(ofModel, budget).ifPresent(r -> s.append("Best ").append(model).append(" within the budget: ")
                        .append(describe(r)).append(twin(r, results).map(t -> String.format(Locale.ROOT,
                                "; its backpropagation twin (point %d, %s) %.2f%%, FF %+.2f points", t.index(),
                                t.trainedText(), 100 * t.bestTestAccuracy(),
                                100 * (r.bestTestAccuracy() - t.bestTestAccuracy())))
                                .orElse("; no backpropagation twin of its hidden sizes in the grid")).append('\n'));
            }
        }
        return s.toString();
    }

    /** The finished point with the highest best test accuracy among those with fewer than {@code budget} neurons. */
    static Optional<GridPointResult> best(List<GridPointResult> results, int budget) {
        return results.stream().filter(GridPointResult::finished).filter(r -> r.neurons() < budget)
                .max(Comparator.comparingDouble(GridPointResult::bestTestAccuracy));
    }

    /** The finished backpropagation point of the same hidden sizes, the best if there are several. */
    static Optional<GridPointResult> twin(GridPointResult point, List<GridPointResult> results) {
        return results.stream().filter(r -> r.finished() && r.model().equals("mlp") && r.hidden().equals(point.hidden()))
                .max(Comparator.comparingDouble(GridPointResult::bestTestAccuracy));
    }

    private static String describe(GridPointResult r) {
        return String.format(Locale.ROOT, "point %d (%s, %d neurons) with %.2f%% best test accuracy (%.2f%% final)",
                r.index(), r.label(), r.neurons(), 100 * r.bestTestAccuracy(), 100 * r.testAccuracy());
    }

    private static String percent(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    private static String number(double v, String format) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, format, v);
    }
}
