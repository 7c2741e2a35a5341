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

/**
 * Every dependency between the packages points down the layers, as docs/how-it-works.md lists them, and
 * the lower layers know nothing of Spark.
 */
class ArchitectureTest {
    /** From the bottom: a package may import those of lower layers only (and its own). */
    private static final List<List<String>> LAYERS = List.of(
            List.of("random"), List.of("wire"), List.of("linalg"), List.of("data"), List.of("model"), List.of("optim"),
            List.of("eval"), List.of("partition"), List.of("train"), List.of("config"), List.of("store"),
            List.of("report"), List.of("run"), List.of("grid", "bench"), List.of("ml", "cli"));
    /** The maths and what one partition computes, tested without a Spark context. */
    private static final List<String> FREE_OF_SPARK = List.of("random", "wire", "linalg", "data", "model", "optim",
            "eval", "partition");
    private static final Pattern SPARK_IMPORT = Pattern.compile(
            "^import (?:static )?(?:org\\.apache\\.spark|scala)\\.", Pattern.MULTILINE);
    /** An import, or a name written out in full in the code. */
    private static final Pattern USE = Pattern.compile("\\borg\\.ffspark\\.([a-z]+)\\.[A-Za-z]");

    private static int layer(String pkg) {
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(pkg)) {
                return i;
            }
        }
        throw new AssertionError("package " + pkg + " has no layer");
    }

    /** A main source file outside the root package (which holds FfsparkException, used everywhere). */
    private record Source(Path path, String pkg, String text) {
    }

    private static List<Source> sources() throws IOException {
        Path root = Path.of(System.getProperty("ffspark.projectDir", "."), "src/main/java/org/ffspark");
        List<Source> sources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path relative = root.relativize(file);
                if (relative.getNameCount() > 1) {
                    sources.add(new Source(relative, relative.getName(0).toString(), Files.readString(file)));
                }
            }
        }
        return sources;
    }

    @Test
    void theMathsAndThePartitionsWorkImportNoSpark() throws IOException {
        List<String> spark = new ArrayList<>();
        for (Source source : sources()) {
            if (FREE_OF_SPARK.contains(source.pkg()) && SPARK_IMPORT.matcher(source.text()).find()) {
                spark.add(source.path().toString());
            }
        }
        assertEquals(List.of(), spark);
    }

    @Test
    void importsPointDownTheLayers() throws IOException {
        List<String> upward = new ArrayList<>();
        for (Source source : sources()) {
            Matcher m = USE.matcher(source.text());
            while (m.find()) {
                String used = m.group(1);
                if (!used.equals(source.pkg()) && layer(used) >= layer(source.pkg())) {
                    upward.add(source.path() + " uses " + used);
                }
            }
        }
        assertEquals(List.of(), upward);
    }
}
