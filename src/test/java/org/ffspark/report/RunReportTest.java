package org.ffspark.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.ffspark.data.LabeledImages;
import org.ffspark.eval.ConfusionMatrix;
import org.ffspark.model.GoodnessRule;
import org.ffspark.model.LabelScorer;
import org.ffspark.model.FFNetwork;
import org.ffspark.model.SimpleFFNetwork;
import org.ffspark.train.EpochMetrics;
import org.ffspark.train.EpochTiming;
import org.ffspark.train.LocalSpark;
import org.junit.jupiter.api.Test;

class RunReportTest {
    private static List<EpochMetrics> history(int epochs) {
        List<EpochMetrics> h = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            ConfusionMatrix m = new ConfusionMatrix(10);
            for (int i = 0; i < 100; i++) {
                m.record(i % 10, i % 7 == 0 ? (i + 1) % 10 : i % 10);
            }
            h.add(new EpochMetrics(e, epochs, new EpochMetrics.TrainingFigures(new double[] {1.0 / e, 1.2 / e},
                    Double.NaN, new double[] {2 + e, 3 + e}, new double[] {0.5, 0.25}, null),
                    new EpochMetrics.Evaluation(0.8 + 0.01 * e, m, 0.9), EpochTiming.NONE.withSeconds(2.5, 0.5)));
        }
        return h;
    }

    @Test
    void drawsEveryFigureAndAnIndexThatCarriesThemInline() throws Exception {
        LabeledImages samples = LocalSpark.mnistData().test().head(10);
        FFNetwork net = SimpleFFNetwork.initialize(784, 10, new int[] {20, 10}, GoodnessRule.PAPER, 3);
        List<EpochMetrics> history = history(4);
        List<RunReport.Figure> figures = RunReport.figures(history, net, samples);

        assertEquals(List.of("loss.png", "accuracy.png", "goodness.png", "separation.png", "goodness-by-label.png",
                "test-images.png", "confusion.png"), figures.stream().map(RunReport.Figure::file).toList());
        for (RunReport.Figure f : figures) {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(f.png()));
            assertNotNull(image, f.file());
            assertTrue(image.getWidth() >= 400 && image.getHeight() >= 300, f.file());
        }

        RunSummary summary = summary("simple", Map.of("hidden", "20,10", "out", "<script>alert(1)</script>"));
        String html = RunReport.html(figures, summary, history);
        assertEquals(figures.size(), html.split("src=\"data:image/png;base64,", -1).length - 1);
        assertFalse(html.contains("<script>"), "summary values are escaped");
        assertTrue(html.contains("&lt;script&gt;"));
        assertTrue(html.contains("90.00%"));
        assertFalse(html.contains("http:") || html.contains("https:"), "nothing is fetched from elsewhere");
    }

    @Test
    void aRecurrentRunIsHeadedAsOneAndListsOnlyItsModelsKeys() {
        RunSummary summary = summary("recurrent", Map.of("hidden", "20,10", "model", "recurrent", "iterations", "8",
                "norm", "rms", "peerNorm", "0.03"));
        String html = RunReport.html(List.of(), summary, history(2));
        assertTrue(html.contains("<h1>ffspark run: recurrent Forward-Forward, hidden [20, 10]</h1>"), html);
        assertFalse(html.contains("simple Forward-Forward"));
        assertTrue(html.contains("<th>iterations</th><td>8</td>"), "the recurrent model's own keys are listed");
        assertFalse(html.contains("<th>norm</th>") || html.contains("<th>peerNorm</th>"),
                "keys of the simple model alone are not");
        String simple = RunReport.html(List.of(), summary("simple", Map.of("hidden", "20,10", "iterations", "8",
                "norm", "rms")), history(2));
        assertTrue(simple.contains("<h1>ffspark run: simple Forward-Forward, hidden [20, 10]</h1>"));
        assertTrue(simple.contains("<th>norm</th><td>rms</td>"));
        assertFalse(simple.contains("<th>iterations</th>"));
    }

    static RunSummary summary(String model, Map<String, String> config) {
        return new RunSummary(model, List.of(20, 10), 16_210, 1000, 100, 4, 0.9, 0.91, 3, 0.93, "goodness", List.of(),
                0.03, "none", "every:1", 3.0, 2.5, 0.5, 12.0, 20.0, 40.0, new double[10], new long[10][10],
                "model.ffm", config, Map.of("train-images-idx3-ubyte", "abc"), "0.1.0", "4.2.0", "local[2]", 2,
                "JNIBLAS", "Vector API", "17", Map.of("JNIBLAS, sums Vector API", List.of(0, 1)),
                Map.of("final", 40.5));
    }

    @Test
    void perImageFiguresShowWhatTheNetworkPredicts() {
        LabeledImages samples = LocalSpark.mnistData().test().head(10);
        SimpleFFNetwork net = SimpleFFNetwork.initialize(784, 10, new int[] {30}, GoodnessRule.PAPER, 5);
        SampleFigures.Samples scored = RunReport.score(net, samples);
        // The scores training and evaluation give the same images (their blocks, their pixel scaling).
        org.ffspark.data.DataBlock block = samples.blocks(1).get(0);
        float[] pixels = new float[10 * 784];
        for (int i = 0; i < 10; i++) {
            block.copyScaled(i, pixels, i * 784);
        }
        float[] goodness = new float[100];
        org.ffspark.model.FFKernels.score(net, pixels, 10, goodness);
        org.junit.jupiter.api.Assertions.assertArrayEquals(goodness, scored.goodness(), "bit for bit");
        assertEquals(java.util.Arrays.toString(LabelScorer.predictions(goodness, 10, 10)),
                java.util.Arrays.toString(scored.predicted()));
        for (int i = 0; i < 10; i++) {
            assertEquals(samples.label(i), scored.trueLabels()[i]);
        }
    }
}
