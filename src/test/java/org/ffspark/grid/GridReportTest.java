package org.ffspark.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GridReportTest {
    private static GridPointResult point(int index, String model, String... settings) {
        Map<String, String> varied = new LinkedHashMap<>();
        for (int i = 0; i < settings.length; i += 2) {
            varied.put(settings[i], settings[i + 1]);
        }
        return new GridPointResult(index, varied, "p" + index, model, List.of(24), 1, 0.9, 0.9, 1, "done", "");
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
}
