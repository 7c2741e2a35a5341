package org.ffspark.config;

import java.util.List;
import java.util.Locale;

/**
 * The key tables as people read them: the plain text {@code --keys} prints, and the Markdown of
 * {@code docs/configuration.md} (a test holds that file to this output).
 */
public final class KeyReference {
    private KeyReference() {
    }

    /** One block per key: name, default and accepted values, then what it means, wrapped. */
    public static String text(List<ConfigKey> keys) {
        StringBuilder s = new StringBuilder();
        ConfigKey.Section section = null;
        for (ConfigKey k : keys) {
            if (keys == ConfigKey.TRAINING && k.section() != section) {
                section = k.section();
                s.append('\n').append(section.title().toUpperCase(Locale.ROOT)).append('\n');
            }
            s.append(String.format(Locale.ROOT, "  %-20s default %s; %s%s%n", k.name(),
                    k.defaultValue().isEmpty() ? "(none)" : k.defaultValue(), k.allowed(), modelNote(k)));
            for (String line : wrap(k.meaning(), 74)) {
                s.append("      ").append(line).append('\n');
            }
        }
        return s.toString();
    }

    /** The configuration reference, in Markdown. */
    public static String markdown() {
        StringBuilder s = new StringBuilder();
        s.append("# Configuration reference\n\n")
                .append("Generated from the key table in `src/main/java/org/ffspark/config/ConfigKey.java` ")
                .append("(`submit/train.sh --keys` prints the same); a test keeps this file in step with it.\n\n")
                .append("`submit/train.sh [CONF_FILE] [key=value ...]`: keys come from the properties file, then ")
                .append("from the command line, which wins. An unknown key or a value out of range stops the run ")
                .append("before Spark starts, with one line naming the key. Properties files take comments on ")
                .append("lines of their own (`# ...`), not after a value. A relative path is taken from the ")
                .append("folder it is written in: in a config file from the file's folder, on the command line ")
                .append("and in the defaults below from the working folder.\n\n")
                .append("*Trajectory* keys change what is trained: a run resumes from a checkpoint only under ")
                .append("the same values (`epochs` may grow). The others may change between a run and its ")
                .append("resumption.\n");
        ConfigKey.Section section = null;
        for (ConfigKey k : ConfigKey.TRAINING) {
            if (k.section() != section) {
                section = k.section();
                s.append("\n## ").append(section.title()).append("\n\n")
                        .append("| key | default | values | meaning |\n| --- | --- | --- | --- |\n");
            }
            s.append("| `").append(k.name()).append('`')
                    .append(k.effect() == ConfigKey.Effect.TRAJECTORY ? " (trajectory)" : "")
                    .append(" | ").append(k.defaultValue().isEmpty() ? "" : "`" + k.defaultValue() + "`")
                    .append(" | ").append(cell(k.allowed())).append(" | ").append(cell(k.meaning()))
                    .append(modelNote(k)).append(" |\n");
        }
        appendCommand(s, "evaluate", "`submit/evaluate.sh MODEL DATA [key=value ...]`", ConfigKey.EVALUATION);
        appendCommand(s, "predict", "`submit/predict.sh MODEL INPUT OUT [key=value ...]`", ConfigKey.PREDICTION);
        appendCommand(s, "grid", "`submit/grid.sh GRID_FILE [key=value ...]`: besides these, any training key "
                + "stands in a grid file for every point", ConfigKey.GRID);
        appendCommand(s, "bench", "`submit/bench.sh [key=value ...]`", ConfigKey.BENCH);
        return s.toString();
    }

    private static void appendCommand(StringBuilder s, String name, String usage, List<ConfigKey> keys) {
        s.append("\n## Keys of ").append(name).append("\n\n").append(usage).append("\n\n")
                .append("| key | default | values | meaning |\n| --- | --- | --- | --- |\n");
        for (ConfigKey k : keys) {
            s.append("| `").append(k.name()).append("` | ")
                    .append(k.defaultValue().isEmpty() ? "" : "`" + k.defaultValue() + "`").append(" | ")
                    .append(cell(k.allowed())).append(" | ").append(cell(k.meaning())).append(" |\n");
        }
    }

    private static String modelNote(ConfigKey k) {
        return k.models() == ConfigKey.Models.ALL ? "" : " (" + k.models().text() + " only)";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    static List<String> wrap(String text, int width) {
        List<String> lines = new java.util.ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }
}
