package org.ffspark.grid;

import java.util.List;
import java.util.Map;

/**
 * One row of the grid's results.
 *
 * @param varied      the settings that make this point (e.g. hidden=24)
 * @param hidden      hidden widths, empty if the point failed before its settings were read
 * @param status      {@code done}, {@code resumed} (finished by an earlier run of the grid) or {@code failed}
 * @param error       the one-line reason of a failure, else ""
 */
public record GridPointResult(int index, Map<String, String> varied, String folder, String model,
                              List<Integer> hidden, long parameters, double testAccuracy,
                              double bestTestAccuracy, double epochSeconds, String status, String error) {

    public int neurons() {
        return hidden.stream().mapToInt(Integer::intValue).sum();
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
