package org.ffspark.cli;

import java.util.List;
import java.util.Map;
import org.ffspark.config.ConfigKey;
import org.ffspark.config.KeyReference;

/** What {@code -h}, {@code --help}, {@code --keys} and a bare command print, script by script. */
final class Usage {
    static final List<String> COMMANDS = List.of("train", "evaluate", "predict", "export", "grid", "grid-bench",
            "bench");

    private static final Map<String, String> LINES = Map.of(
            "train", "usage: submit/train.sh CONF_FILE [key=value ...]   or   submit/train.sh key=value ...",
            "evaluate", "usage: submit/evaluate.sh MODEL DATA [key=value ...]",
            "predict", "usage: submit/predict.sh MODEL INPUT OUT [key=value ...]",
            "export", "usage: submit/export.sh MODEL OUT.safetensors [key=value ...]",
            "grid", "usage: submit/grid.sh GRID_FILE [key=value ...]",
            "grid-bench", "usage: submit/grid-bench.sh [GRID_FILE] [key=value ...]",
            "bench", "usage: submit/bench.sh [key=value ...]");

    private static final Map<String, String> ABOUT = Map.of(
            "train", """
                    Trains a Forward-Forward network on Spark and writes metrics.jsonl, summary.json, model.ffm,
                    report/index.html and checkpoints/ into out. CONF_FILE is a properties file of keys (conf/ has
                    the shipped ones); key=value arguments override it. Example:
                      submit/train.sh conf/mnist-simple.properties epochs=3
                    Keys people change most: hidden, epochs, lr, batchSize, negatives, trainLimit, out, resume.
                    submit/train.sh --keys lists every key with its default, values and meaning.
                    """,
            "evaluate", """
                    Prints the accuracy, per-class accuracy and confusion matrix of a saved model on the test (or
                    training) images of DATA, a directory of the four IDX files. MODEL is a model.ffm file, a
                    checkpoint (checkpoints/epoch-N.ffc) or a finished run's out folder. Example:
                      submit/evaluate.sh target/runs/mnist-simple data/mnist limit=2000
                    """,
            "predict", """
                    Writes each image's predicted label and every label's score, for an IDX image file or a folder of
                    28x28 PNGs, to OUT (CSV, or Parquet when OUT ends in .parquet). MODEL is a model.ffm file, a
                    checkpoint or a finished run's out folder. Example:
                      submit/predict.sh target/runs/mnist-simple my-digits/ target/my-digits.csv invert=true
                    """,
            "export", """
                    Writes a model's weights as a safetensors file, named as the notebook's PyTorch modules name
                    them (layers.0.linear.weight, ...), with the model's settings in the header's metadata: PyTorch's
                    load_state_dict and NumPy read it. MODEL is a model.ffm file, a checkpoint or a run's out folder;
                    evaluate and predict read safetensors files too. Example:
                      submit/export.sh target/runs/mnist-simple target/mnist-simple.safetensors
                    """,
            "grid", """
                    Trains every point of a grid file (a properties file of grid.KEY = v1; v2 lists, or grid.point.N
                    lines) inside one Spark application and writes results.csv, results.md and a plot into out.
                    Example:
                      submit/grid.sh conf/grid-hidden-sizes.properties epochs=5 threshold=1 out=target/grid/quick
                    """,
            "grid-bench", """
                    Times a grid with one point at a time and with two; without GRID_FILE, the six hidden sizes of
                    conf/grid-hidden-sizes.properties for 2 epochs on 5000 images.
                    """,
            "bench", """
                    Measures the machine's sgemm speed and trains the documented settings for a few epochs each,
                    printing where the time goes (see docs/performance.md).
                    """);

    private Usage() {
    }

    static boolean asksForHelp(String argument) {
        return argument.equals("-h") || argument.equals("--help");
    }

    static String line(String command) {
        return LINES.get(command);
    }

    static String general() {
        StringBuilder s = new StringBuilder("ffspark: Forward-Forward training on Spark\n");
        for (String command : COMMANDS) {
            s.append("  ").append(LINES.get(command).substring("usage: ".length())).append('\n');
        }
        s.append("Each script takes -h or --help, and --keys for the keys it takes.\n");
        return s.toString();
    }

    static String of(String command) {
        StringBuilder s = new StringBuilder(LINES.get(command)).append("\n\n").append(ABOUT.get(command));
        List<ConfigKey> keys = keysOf(command);
        if (keys != null && !command.equals("train")) {
            s.append("\nkeys:\n").append(KeyReference.text(keys));
        }
        return s.toString();
    }

    static String keys(String command) {
        List<ConfigKey> keys = keysOf(command);
        if (keys == ConfigKey.GRID) {
            return "keys of submit/" + command + ".sh (in GRID_FILE, or key=value on the command line), besides every "
                    + "training key (submit/train.sh --keys), which a grid file sets for all its points:\n"
                    + KeyReference.text(keys);
        }
        return "keys of submit/" + command + ".sh (key=value on the command line"
                + (command.equals("train") ? " or in CONF_FILE" : "") + "):\n" + KeyReference.text(keys);
    }

    private static List<ConfigKey> keysOf(String command) {
        return switch (command) {
            case "train" -> ConfigKey.TRAINING;
            case "evaluate" -> ConfigKey.EVALUATION;
            case "predict" -> ConfigKey.PREDICTION;
            case "bench" -> ConfigKey.BENCH;
            case "export" -> ConfigKey.EXPORT;
            case "grid", "grid-bench" -> ConfigKey.GRID;
            default -> null;
        };
    }
}
