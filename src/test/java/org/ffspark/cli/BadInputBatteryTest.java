package org.ffspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.ffspark.FfsparkException;
import org.ffspark.config.ConfigKey;
import org.ffspark.config.Settings;
import org.ffspark.data.IdxFixtures;
import org.ffspark.model.GoodnessRule;
import org.ffspark.model.SimpleFFNetwork;
import org.ffspark.run.ModelEvaluation;
import org.ffspark.run.TrainingRun;
import org.ffspark.store.ModelFile;
import org.ffspark.train.LocalSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wrong files and wrong settings, as the commands meet them: each is refused with one line naming the
 * file or key, before anything is written to out.
 */
class BadInputBatteryTest {
    @TempDir
    Path tmp;

    private String trainRefusal(String... arguments) {
        List<String> all = new ArrayList<>(List.of("out=" + tmp.resolve("out"), "hidden=10", "epochs=1"));
        all.addAll(Arrays.asList(arguments));
        FfsparkException e = assertThrows(FfsparkException.class, () -> new TrainingRun(LocalSpark.context(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .run(Settings.parse(null, all, ConfigKey.TRAINING)));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertFalse(Files.exists(tmp.resolve("out")), "nothing written for: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void trainLimitLargerThanTheDataIsRefused() {
        String message = trainRefusal("data=" + LocalSpark.mnist(), "trainLimit=70000");
        assertTrue(message.startsWith("trainLimit 70000 is larger than the 60000 training images in file:"), message);
        assertTrue(message.endsWith("train-images-idx3-ubyte.gz"), message);
    }

    @Test
    void bfloat16ProductsAreRefusedWhereTheyDoNotApply() {
        String unknown = trainRefusal("products=half");
        assertTrue(unknown.startsWith("products must be one of float32, bfloat16, got 'half'"), unknown);
        String recurrent = trainRefusal("model=recurrent", "products=bfloat16");
        assertTrue(recurrent.startsWith("products is for model=simple; model=recurrent has no such setting"),
                recurrent);
    }

    @Test
    void emptyLabelFileIsNamed() throws Exception {
        Path data = IdxFixtures.dataDirectory(tmp.resolve("data"), 40, 10, 28, 28);
        Files.write(data.resolve("t10k-labels-idx1-ubyte"), new byte[0]);
        String message = trainRefusal("data=" + data);
        assertTrue(message.endsWith("t10k-labels-idx1-ubyte: is empty"), message);
    }

    @Test
    void labelFileWhereImagesBelongIsNamed() throws Exception {
        Path data = IdxFixtures.dataDirectory(tmp.resolve("data"), 40, 10, 28, 28);
        Files.copy(data.resolve("t10k-labels-idx1-ubyte"), data.resolve("t10k-images-idx3-ubyte"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String message = trainRefusal("data=" + data);
        assertTrue(message.endsWith("t10k-images-idx3-ubyte: is a label file where images were expected"), message);
    }

    @Test
    void explicitFilesMissingOneAreRefusedByKey() {
        String message = trainRefusal("data.trainImages=" + tmp.resolve("a"), "data.trainLabels=" + tmp.resolve("b"));
        assertTrue(message.startsWith("data.testImages needs a value"), message);
    }

    @Test
    void imagesOfAnotherSizeThanTheModelsInputAreRefusedByEvaluate() throws Exception {
        Path data = IdxFixtures.dataDirectory(tmp.resolve("small"), 20, 20, 8, 8);
        Path model = tmp.resolve("model.ffm");
        Files.write(model, ModelFile.toBytes(SimpleFFNetwork.initialize(784, 10, new int[] {5}, GoodnessRule.PAPER, 1),
                Map.of()));
        FfsparkException e = assertThrows(FfsparkException.class, () -> new ModelEvaluation(LocalSpark.context()).evaluate(model.toString(), data.toString(), Settings.parse(null, List.of(), ConfigKey.EVALUATION)));
        assertTrue(e.getMessage().endsWith("images are 8x8 (64 pixels) but the model " + model + " expects 784 inputs"),
                e.getMessage());
    }

    @Test
    void missingModelFileIsNamed() {
        FfsparkException e = assertThrows(FfsparkException.class, () -> new ModelEvaluation(LocalSpark.context()).evaluate(tmp.resolve("none.ffm").toString(), LocalSpark.mnist().toString(),
                        Settings.parse(null, List.of(), ConfigKey.EVALUATION)));
        assertEquals("model file not found: " + tmp.resolve("none.ffm"), e.getMessage());
    }
}
