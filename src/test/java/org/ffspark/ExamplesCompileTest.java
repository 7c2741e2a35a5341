package org.ffspark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The programs in examples/ compile against the project as it is, so the docs pointing at them stay true. */
class ExamplesCompileTest {
    @TempDir
    Path classes;

    @Test
    void everyExampleCompiles() throws IOException {
        Path examples = Path.of(System.getProperty("ffspark.projectDir", "."), "examples");
        List<String> sources;
        try (Stream<Path> files = Files.list(examples)) {
            sources = files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).sorted().toList();
        }
        assertFalse(sources.isEmpty(), "examples/ holds Java programs");
        List<String> arguments = new ArrayList<>(List.of("-d", classes.toString(),
                "-cp", System.getProperty("java.class.path"), "-proc:none"));
        arguments.addAll(sources);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int code = javac.run(null, null, null, arguments.toArray(String[]::new));
        assertEquals(0, code, "javac " + String.join(" ", sources) + " failed; its errors are printed above");
    }
}
