package org.ffspark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.ffspark.FfsparkException;
import org.ffspark.config.ConfigKey;
import org.junit.jupiter.api.Test;

/** Help without Spark: every command answers -h and --help, train and the others list their keys. */
class UsageTest {
    private record Printed(int code, String text) {
    }

    private static Printed run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Printed(code, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void trainWithoutArgumentsPrintsItsUsageInsteadOfTraining() {
        Printed p = run("train");
        assertEquals(2, p.code());
        assertTrue(p.text().startsWith("usage: submit/train.sh CONF_FILE [key=value ...]"), p.text());
    }

    @Test
    void everyCommandAnswersHelp() {
        for (String command : Usage.COMMANDS) {
            for (String flag : new String[] {"-h", "--help"}) {
                Printed p = run(command, flag);
                assertEquals(0, p.code(), command);
                assertTrue(p.text().startsWith("usage: submit/" + command + ".sh"), command + ": " + p.text());
            }
        }
        Printed general = run("--help");
        assertEquals(0, general.code());
        for (String command : Usage.COMMANDS) {
            assertTrue(general.text().contains("submit/" + command + ".sh"), command);
        }
        assertTrue(run("evaluate", "--help").text().contains("split "), "evaluate's usage lists its keys");
        assertTrue(run("predict", "--help").text().contains("invert "), "predict's usage lists its keys");
    }

    @Test
    void keysListsEveryKeyOfTheCommandWithItsDefault() {
        String text = run("train", "--keys").text();
        for (ConfigKey key : ConfigKey.TRAINING) {
            assertTrue(text.contains("\n  " + key.name() + " "), key.name());
        }
        assertTrue(text.contains("hidden               default 500,500; widths from 1 to 65536"), text);
        String predict = run("predict", "--keys").text();
        for (ConfigKey key : ConfigKey.PREDICTION) {
            assertTrue(predict.contains("\n  " + key.name() + " "), key.name());
        }
        for (String command : new String[] {"grid", "grid-bench"}) {
            String grid = run(command, "--keys").text() + run(command, "--help").text();
            for (String key : new String[] {"grid.base", "grid.parallelism", "grid.neuronBudget", "grid.KEY",
                    "grid.point.N"}) {
                assertTrue(grid.contains("\n  " + key + " "), command + ": " + key);
            }
        }
    }

    @Test
    void anUnknownCommandIsNamed() {
        assertTrue(assertThrows(FfsparkException.class, () -> run("trian")).getMessage()
                .startsWith("unknown command 'trian'; commands: train, evaluate"));
    }
}
