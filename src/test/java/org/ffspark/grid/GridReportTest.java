package org.ffspark.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GridReportTest {
    private static GridPointResult point(int index, String model, String... settings) {
        return point(index, model, List.of(24), 0.9, settings);
    }

    private static GridPointResult point(int index, String model, List<Integer> hidden, double accuracy,
                                         String... settings) {
        Map<String, String> varied = new LinkedHashMap<>();
        for (int i = 0; i < settings.length; i += 2) {
            varied.put(settings[i], settings[i + 1]);
        }
        return new GridPointResult(index, varied, "p" + index, model, hidden, 1, model.equals("mlp") ? 200 : 40,
                accuracy, accuracy, 1, "done", "");
    }

    @Test
    void plotLabelsKeepOnlyWhatTellsAPointFromTheOthersOfItsModel() {
        List<GridPointResult> points = List.of(
                point(1, "simple", "hidden", "26", "epochs", "40"),
                point(2, "mlp", "hidden", "26", "model", "mlp", "epochs", "200"),
                point(3, "simple", "hidden", "12, 12", "epochs", "40"),
                point(4, "mlp", "hidden", "12, 12", "model", "mlp", "epochs", "200"));
        assertEquals(List.of("[26]", "[26]", "[12,12]", "[12,12]"),
                points.stream().map(p -> GridReport.plotLabel(p, points)).toList());

        List<GridPointResult> rates = List.of(point(1, "simple", "hidden", "24", "lr", "0.01"),
                point(2, "simple", "hidden", "24", "lr", "0.03"));
        assertEquals(List.of("lr=0.01", "lr=0.03"), rates.stream().map(p -> GridReport.plotLabel(p, rates)).toList());

        List<GridPointResult> alone = List.of(point(1, "simple", "hidden", "24"));
        assertEquals("hidden=[24]", GridReport.plotLabel(alone.get(0), alone), "a lone point keeps its full label");
    }

    @Test
    void eachFFModelsBestWithinTheBudgetIsSetBesideItsTwin() {
        List<GridPointResult> points = List.of(
                point(1, "simple", List.of(24), 0.953, "hidden", "24"),
                point(2, "mlp", List.of(24), 0.950, "hidden", "24", "model", "mlp"),
                point(3, "recurrent", List.of(12, 12), 0.940, "hidden", "12,12", "model", "recurrent"),
                point(4, "recurrent", List.of(26), 0.990, "hidden", "26", "model", "recurrent"),
                point(5, "mlp", List.of(12, 12), 0.945, "hidden", "12,12", "model", "mlp"));
        String markdown = GridReport.markdown(new GridSpec("g.properties", null, List.of(), List.of(), 1, 26, "out"), points);
        assertTrue(markdown.contains("| 1 | hidden=[24] | simple | [24] | 24 (<26) | 1 | 40 epochs | 95.30% |"),
                markdown);
        assertTrue(markdown.contains("| 200 iterations |"), markdown);
        assertTrue(markdown.contains("Best simple within the budget: point 1 (hidden=[24], 24 neurons) with 95.30% "
                + "best test accuracy (95.30% final); its backpropagation twin (point 2, 200 iterations) 95.00%, "
                + "FF +0.30 points"), markdown);
        assertTrue(markdown.contains("Best recurrent within the budget: point 3 (hidden=[12,12] model=recurrent, 24 "
                + "neurons) with 94.00% best test accuracy (94.00% final); its backpropagation twin (point 5, 200 "
                + "iterations) 94.50%, FF -0.50 points"), "[26] is over the budget: " + markdown);
    }
}
