package org.ffspark.grid;

import java.util.List;
import java.util.Map;
import org.ffspark.report.RunSummary;

/**
 * One row of the grid's results.
 *
 * @param varied      the settings that make this point (e.g. hidden=24)
 * @param hidden      hidden widths, empty if the point failed before its settings were read
 * @param trained     how far it was trained: FF epochs, or a backpropagation twin's L-BFGS iterations
 * @param status      {@code done}, {@code reused} (finished by an earlier run of the grid with the same
 *                    settings) or {@code failed}
 * @param error       the one-line reason of a failure, else ""
 */
public record GridPointResult(int index, Map<String, String> varied, String folder, String model,
                              List<Integer> hidden, long parameters, int trained, double testAccuracy,
                              double bestTestAccuracy, double epochSeconds, String status, String error) {

    /** A point that finished (now or earlier), from its summary. */
    static GridPointResult of(int index, Map<String, String> varied, String folder, RunSummary summary,
                              String status) {
        return new GridPointResult(index, varied, folder, summary.model(), summary.hidden(), summary.parameters(),
                summary.epochs(), summary.testAccuracy(), summary.bestTestAccuracy(), summary.epochSeconds(), status, "");
    }

    static GridPointResult failed(int index, Map<String, String> varied, String folder, String error) {
        return new GridPointResult(index, varied, folder, "", List.of(), 0, 0, Double.NaN, Double.NaN, Double.NaN,
                "failed", error);
    }

    public int neurons() {
        return hidden.stream().mapToInt(Integer::intValue).sum();
    }

    /** How far the point was trained, in its model's unit: "40 epochs", "200 iterations". */
    public String trainedText() {
        if (!finished()) {
            return "";
        }
        String unit = model.equals("mlp") ? "iteration" : "epoch";
        return trained + " " + unit + (trained == 1 ? "" : "s");
    }

    public boolean finished() {
        return !status.equals("failed");
    }

    public String label() {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, String> e : varied.entrySet()) {
            if (s.length() > 0) {
                s.append(' ');
            }
            s.append(e.getKey()).append('=');
            s.append(e.getKey().equals("hidden") ? "[" + e.getValue().replace(" ", "") + "]" : e.getValue());
        }
        return s.toString();
    }
}
