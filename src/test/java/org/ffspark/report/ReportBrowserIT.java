package org.ffspark.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.ffspark.cluster.Submit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's report as a user opens it: a real (small) run's index.html in headless Chromium. */
class ReportBrowserIT {
    @TempDir
    Path tmp;

    @Test
    void everyImageOfTheReportLoadsInABrowser() throws Exception {
        assertTrue(HeadlessChromium.available(), "Debian's chromium package is needed (.ci/run installs it)");
        Path out = tmp.resolve("run");
        Submit.Outcome train = new Submit(tmp, Map.of()).run("train.sh", "conf/mnist-simple.properties",
                "hidden=40,20", "epochs=2", "trainLimit=2000", "testLimit=300", "out=" + out);
        assertEquals(0, train.exitCode(), train.stderr());
        Path index = out.resolve("report/index.html");
        assertTrue(Files.isRegularFile(index), "report/index.html written");

        try (HeadlessChromium browser = new HeadlessChromium(tmp.resolve("profile"))) {
            JsonNode page = browser.evaluate(index, HeadlessChromium.IMAGES_LOADED);
            assertEquals(7, page.get("count").asInt(), page.toString());
            assertEquals(0, page.get("broken").size(), "images that did not load: " + page.get("broken"));
            for (JsonNode size : page.get("sizes")) {
                assertTrue(size.get(0).asInt() >= 300 && size.get(1).asInt() >= 200, page.toString());
            }
            assertTrue(page.get("title").asText().contains("[40, 20]"), page.toString());
            for (JsonNode link : page.get("links")) {
                assertTrue(Files.size(out.resolve("report").resolve(link.asText())) > 1000,
                        "the PNG beside index.html: " + link.asText());
            }
        }
    }
}
