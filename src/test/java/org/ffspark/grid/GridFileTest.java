package org.ffspark.grid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ffspark.FfsparkException;
import org.ffspark.config.ConfigKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GridFileTest {
    private static final Set<String> KEYS = ConfigKey.byName(ConfigKey.TRAINING).keySet();

    @TempDir
    Path tmp;

    private GridSpec parse(String text, String... arguments) throws Exception {
        Path file = tmp.resolve("grid.properties");
        Files.writeString(file, text);
        return GridFile.parse(file.toString(), List.of(arguments), KEYS);
    }

    private String refusal(String text, String... arguments) {
        return assertThrows(FfsparkException.class, () -> parse(text, arguments)).getMessage();
    }

    @Test
    void listsExpandToTheirCartesianProductFirstKeySlowest() throws Exception {
        Files.createDirectories(tmp.resolve("conf"));
        Files.writeString(tmp.resolve("conf/x.properties"), "hidden = 7\n");
        GridSpec spec = parse("grid.base = conf/x.properties\ngrid.parallelism = 2\nepochs = 30\n"
                + "grid.hidden = 24; 12,12; 100\ngrid.lr = 0.03;0.01\n");
        assertEquals(6, spec.points().size());
        assertEquals(Map.of("hidden", "24", "lr", "0.03"), spec.points().get(0));
        assertEquals(Map.of("hidden", "24", "lr", "0.01"), spec.points().get(1));
        assertEquals(Map.of("hidden", "12,12", "lr", "0.03"), spec.points().get(2));
        assertEquals(Map.of("hidden", "100", "lr", "0.01"), spec.points().get(5));
        assertEquals(List.of("epochs=30"), spec.shared());
        assertEquals(2, spec.parallelism());
        assertEquals(tmp.resolve("conf/x.properties").toString(), spec.baseFile(), "relative to the grid file");
        assertEquals("target/grid", spec.out());
    }

    @Test
    void explicitPointsKeepTheirNumberedOrder() throws Exception {
        GridSpec spec = parse("grid.point.2 = hidden=500,500 lr=0.01\ngrid.point.1 = hidden=24\nout = /tmp/g\n");
        assertEquals(List.of(Map.of("hidden", "24"), Map.of("hidden", "500,500", "lr", "0.01")), spec.points());
        assertEquals("/tmp/g", spec.out());
    }

    @Test
    void commandLineOverridesTheFile() throws Exception {
        GridSpec spec = parse("grid.parallelism = 2\ngrid.hidden = 24; 100\n", "grid.parallelism=1", "epochs=2",
                "grid.hidden=10");
        assertEquals(1, spec.parallelism());
        assertEquals(List.of(Map.of("hidden", "10")), spec.points());
        assertEquals(List.of("epochs=2"), spec.shared());
    }

    @Test
    void aMistypedKeyOnTheCommandLineIsReportedThereWithTheNearestKey() {
        String message = refusal("grid.hidden = 24; 100\n", "grid.paralelism=2");
        assertEquals("unknown grid key 'grid.paralelism' in the command line; did you mean 'grid.parallelism'? "
                + "(grid.base, grid.parallelism, grid.neuronBudget, grid.point.N, or grid.KEY for a training key; "
                + "--keys lists them)", message);
        assertEquals("unknown config key 'epoch' in the command line; did you mean 'epochs'? (--keys lists them)",
                refusal("grid.hidden = 24\n", "epoch=2"));
        assertTrue(refusal("grid.hidden = 24\nepoch = 2\n").startsWith("unknown config key 'epoch' in "
                + tmp.resolve("grid.properties") + "; did you mean 'epochs'?"));
    }

    @Test
    void gridWithNoPointsIsRefused() {
        assertTrue(refusal("epochs = 3\n").contains("defines no points"));
    }

    @Test
    void badGridFilesAreRefusedNamingTheProblem() {
        assertTrue(refusal("grid.hiden = 1; 2\n").startsWith("unknown grid key 'grid.hiden'"));
        assertTrue(refusal("colour = red\ngrid.hidden = 1\n").startsWith("unknown config key 'colour'"));
        assertTrue(refusal("grid.hidden = 1;;2\n").startsWith("grid.hidden has an empty value"));
        assertTrue(refusal("grid.parallelism = 0\ngrid.hidden = 1\n").startsWith("grid.parallelism must be a whole number from 1"));
        assertTrue(refusal("grid.point.1 = hidden=1\ngrid.lr = 1\n").contains("mixes grid.point.N with grid.KEY"));
        assertTrue(refusal("hidden = 5\ngrid.hidden = 1; 2\n").startsWith("'hidden' is both set for every point and varied"));
        assertTrue(refusal("grid.point.1 = hidden=1 speed=2\n").contains("'speed=2' is not key=value with a training key"));
        assertTrue(refusal("grid.out = a; b\n").contains("cannot vary 'out'"));
        assertTrue(refusal("grid.base = missing.properties\ngrid.hidden = 1\n").startsWith(
                "grid.base missing.properties of " + tmp.resolve("grid.properties") + " not found: "
                        + tmp.resolve("missing.properties")), "relative to the grid file, checked on parsing");
        assertEquals("grid.parallelism must be a whole number from 1 to 64, got '2   # points at a time'; properties "
                + "files have no end-of-line comments: put '# ...' on a line of its own",
                refusal("grid.parallelism = 2   # points at a time\ngrid.hidden = 1\n"));
        assertTrue(refusal("grid.hidden = 1; 0\n").startsWith("grid point 2 ({hidden=0}): hidden must be"),
                "every point is checked on parsing");
        assertEquals("grid file not found: nope", assertThrows(FfsparkException.class,
                () -> GridFile.parse("nope", List.of(), KEYS)).getMessage());
    }

    @Test
    void shippedHiddenSizesGridIsTheNotebooksSectionEight() {
        Path file = Path.of(System.getProperty("ffspark.projectDir", "."), "conf", "grid-hidden-sizes.properties");
        GridSpec spec = GridFile.parse(file.toString(), List.of(), KEYS);
        assertEquals(List.of("24", "12,12", "100", "200", "500", "500,500"),
                spec.points().stream().map(p -> p.get("hidden")).toList());
        assertEquals(26, spec.neuronBudget());
        assertTrue(spec.shared().contains("epochs=30"));
    }

    @Test
    void shippedNeuronBudgetGridPairsEachNetworkWithItsBackpropagationTwin() {
        Path file = Path.of(System.getProperty("ffspark.projectDir", "."), "conf", "grid-neuron-budget.properties");
        GridSpec spec = GridFile.parse(file.toString(), List.of(), KEYS);
        Map<String, List<String>> modelsByHidden = new LinkedHashMap<>();
        for (Map<String, String> p : spec.points()) {
            modelsByHidden.computeIfAbsent(p.get("hidden"), h -> new ArrayList<>()).add(p.getOrDefault("model", "simple"));
        }
        modelsByHidden.forEach((hidden, models) -> {
            int neurons = Arrays.stream(hidden.split(",")).mapToInt(Integer::parseInt).sum();
            assertTrue(models.contains("simple") && models.contains("mlp"), hidden + ": FF beside its twin");
            if (neurons < 26) {
                assertTrue(models.contains("recurrent"), hidden + ": the recurrent model at every size in the budget");
            } else {
                assertEquals("26", hidden, "only [26] stands over the budget, as a reference");
            }
        });
        assertTrue(modelsByHidden.containsKey("24"), "the notebook's own network");
        assertEquals(26, spec.neuronBudget());
    }
}
