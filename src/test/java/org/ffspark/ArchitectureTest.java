package org.ffspark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every dependency between the packages points down the layers, as docs/how-it-works.md lists them. */
class ArchitectureTest {
    /** From the bottom: a package may import those of lower layers only (and its own). */
    private static final List<List<String>> LAYERS = List.of(
            List.of("random"), List.of("data"), List.of("model"), List.of("optim"), List.of("eval"), List.of("train"),
            List.of("config"), List.of("report"), List.of("run"), List.of("grid", "bench"), List.of("ml", "cli"));
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?org\\.ffspark\\.([a-z]+)\\.",
            Pattern.MULTILINE);

    private static int layer(String pkg) {
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(pkg)) {
                return i;
            }
        }
        throw new AssertionError("package " + pkg + " has no layer");
    }

    @Test
    void importsPointDownTheLayers() throws IOException {
        Path root = Path.of(System.getProperty("ffspark.projectDir", "."), "src/main/java/org/ffspark");
        List<String> upward = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path relative = root.relativize(file);
                if (relative.getNameCount() < 2) {
                    continue; // the root package: FfsparkException, used everywhere
                }
                String pkg = relative.getName(0).toString();
                Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    String used = m.group(1);
                    if (!used.equals(pkg) && layer(used) >= layer(pkg)) {
                        upward.add(relative + " imports " + used);
                    }
                }
            }
        }
        assertEquals(List.of(), upward);
    }
}
