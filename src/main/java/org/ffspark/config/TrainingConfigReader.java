package org.ffspark.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ffspark.linalg.Bf16Products;
import org.ffspark.linalg.ProductPrecision;
import org.ffspark.model.Classifier;
import org.ffspark.model.FFNetwork;
import org.ffspark.model.GoodnessRule;
import org.ffspark.model.InputNorm;
import org.ffspark.model.LearningRule;
import org.ffspark.model.NegativeRule;
import org.ffspark.model.RecurrentFFNetwork;
import org.ffspark.model.SimpleFFNetwork;
import org.ffspark.optim.LearningRateSchedule;
import org.ffspark.optim.OptimizerSettings;
import org.ffspark.train.Sync;
import org.ffspark.train.TrainingConfig;

/** Turns checked settings into a {@link TrainingConfig}, refusing values out of range by key. */
public final class TrainingConfigReader {
    public static final int MAX_WIDTH = 1 << 16;
    public static final int MAX_EPOCHS = 100_000;
    static final int MAX_SYNC_STEPS = 1 << 20;
    static final int MAX_ITERATIONS = 1000;
    static final int MAX_THREADS = 64;
    private static final List<String> DATA_FILE_KEYS = List.of("data.trainImages", "data.trainLabels",
            "data.testImages", "data.testLabels");

    private TrainingConfigReader() {
    }

    public static TrainingConfig from(Settings s) {
        // Keys are read in the table's order, so that of several bad keys the first listed is named.
        TrainingConfig.DataSelection data = data(s);
        long seed = s.longValue("seed");
        String model = s.choice("model", List.of("simple", "recurrent", "mlp"));
        List<Integer> hidden = hidden(s);
        GoodnessRule.Measure measure = GoodnessRule.Measure.valueOf(
                s.choice("goodness", List.of("mean", "sum")).toUpperCase(Locale.ROOT));
        GoodnessRule goodness = "width".equals(s.text("threshold"))
                ? new GoodnessRule(measure, 0, true)
                : new GoodnessRule(measure, s.number("threshold", 0, true, Double.POSITIVE_INFINITY), false);
        InputNorm norm = InputNorm.of(s.choice("norm", List.of("length", "rms")));
        int scoreFrom = s.integer("scoreFrom", 1, hidden.size()) - 1;
        TrainingConfig.ReadoutFit readout = TrainingConfig.ReadoutFit.valueOf(
                s.choice("readout", List.of("none", "local", "logistic")).toUpperCase(Locale.ROOT));
        Classifier classifier = Classifier.of(s.choice("classifier", List.of("goodness", "readout")));
        // A key given for a model it does not apply to would be accepted and do nothing: a mistake to point out.
        for (ConfigKey key : ConfigKey.TRAINING) {
            if (s.given(key.name()) && !key.models().includes(model)) {
                throw s.invalid(key.name(), "is for " + key.models().text() + "; model=" + model
                        + " has no such setting");
            }
        }
        if (readout != TrainingConfig.ReadoutFit.LOCAL && s.given("readoutLr")) {
            throw s.invalid("readoutLr", "is the rate of readout=local, trained alongside; readout="
                    + readout.name().toLowerCase(Locale.ROOT) + " has none");
        }
        if (readout == TrainingConfig.ReadoutFit.NONE && s.given("readoutWeightDecay")) {
            throw s.invalid("readoutWeightDecay", "is for readout=local or readout=logistic; readout=none has no "
                    + "readout");
        }
        if (classifier == Classifier.READOUT && readout == TrainingConfig.ReadoutFit.NONE) {
            throw s.invalid("classifier", "readout needs a readout (readout=local or readout=logistic)");
        }
        boolean local = readout == TrainingConfig.ReadoutFit.LOCAL;
        SimpleFFNetwork.Design design = new SimpleFFNetwork.Design(norm, scoreFrom, local,
                local ? classifier : Classifier.GOODNESS);
        RecurrentFFNetwork.Dynamics dynamics = dynamics(s);

        int epochs = s.integer("epochs", 1, MAX_EPOCHS);
        int batchSize = s.integer("batchSize", 1, 1 << 20);
        OptimizerSettings.Kind kind = OptimizerSettings.Kind.valueOf(
                s.choice("optimizer", List.of("adam", "sgd")).toUpperCase(Locale.ROOT));
        double lr = s.number("lr", 0, false, Double.POSITIVE_INFINITY);
        String scaling = s.choice("lrScaling", List.of("none", "sqrt", "linear"));
        double ratio = (double) batchSize / s.integer("lrBaseBatch", 1, 1 << 20);
        double scaledLr = switch (scaling) {
            case "sqrt" -> lr * Math.sqrt(ratio);
            case "linear" -> lr * ratio;
            default -> lr;
        };
        LearningRateSchedule schedule = lrDecay(s, epochs);
        OptimizerSettings optimizer = new OptimizerSettings(kind, scaledLr,
                s.number("beta1", 0, true, 1),
                s.number("beta2", 0, true, 1),
                s.number("adamEpsilon", 0, false, Double.POSITIVE_INFINITY),
                s.number("momentum", 0, true, 1),
                s.number("weightDecay", 0, true, Double.POSITIVE_INFINITY));
        float peerNorm = (float) s.number("peerNorm", 0, true, Double.POSITIVE_INFINITY);
        OptimizerSettings readoutOptimizer = optimizer.with(s.number("readoutLr", 0, false, Double.POSITIVE_INFINITY),
                s.number("readoutWeightDecay", 0, true, Double.POSITIVE_INFINITY));
        NegativeRule negatives = negatives(s, model, hidden.size(), local);
        Sync sync = SyncReader.read(s);
        refuseUnused(s, List.of("beta1", "beta2", "adamEpsilon"), kind == OptimizerSettings.Kind.ADAM,
                "optimizer=adam", "optimizer=sgd");
        refuseUnused(s, List.of("momentum"), kind == OptimizerSettings.Kind.SGD, "optimizer=sgd", "optimizer=adam");
        refuseUnused(s, List.of("lrBaseBatch"), !scaling.equals("none"), "lrScaling=sqrt or linear", "lrScaling=none");
        int partitions = s.integer("partitions", 0, 1 << 16);
        int trainAccuracyImages = s.integer("trainAccuracyImages", 1, Integer.MAX_VALUE);
        int evalEvery = s.integer("evalEvery", 1, MAX_EPOCHS);
        TrainingConfig.RunOptions run = new TrainingConfig.RunOptions(s.required("out"), s.bool("overwrite"),
                s.integer("checkpointEvery", 0, MAX_EPOCHS), s.bool("resume"), evalEvery,
                s.integer("threads", 1, MAX_THREADS));
        return new TrainingConfig(
                new TrainingConfig.DataSelection(data.directory(), data.files(), data.trainLimit(), data.testLimit(),
                        trainAccuracyImages, partitions, data.frame()),
                model, hidden, goodness, design, dynamics, readout, classifier, epochs, batchSize, optimizer,
                readoutOptimizer, schedule, new LearningRule(negatives, peerNorm, products(s)), sync, seed, run);
    }

    /**
     * The forward products' precision (a simple model's key: the key table refuses it for the others);
     * bfloat16 only where it can run, else a one-line error before Spark starts.
     */
    private static ProductPrecision products(Settings s) {
        String value = s.choice("products", List.of("float32", "bfloat16"));
        if (value.equals("float32")) {
            return ProductPrecision.FLOAT32;
        }
        String problem = Bf16Products.unavailableReason();
        if (!problem.isEmpty()) {
            throw s.invalid("products", "bfloat16 cannot run here: " + problem);
        }
        return ProductPrecision.BFLOAT16;
    }

    /** Refuses any of {@code keys} given where it would do nothing ({@code applies} false). */
    private static void refuseUnused(Settings s, List<String> keys, boolean applies, String forWhat, String setting) {
        for (String key : keys) {
            if (!applies && s.given(key)) {
                throw s.invalid(key, "is for " + forWhat + "; with " + setting + " it does nothing");
            }
        }
    }

    private static TrainingConfig.DataSelection data(Settings s) {
        List<String> files = new ArrayList<>();
        for (String key : DATA_FILE_KEYS) {
            if (!s.text(key).isEmpty()) {
                files.add(s.text(key));
            }
        }
        if (!files.isEmpty() && files.size() != DATA_FILE_KEYS.size()) {
            throw s.invalid(DATA_FILE_KEYS.get(missing(s)),
                    "needs a value: data.trainImages, data.trainLabels, data.testImages and "
                            + "data.testLabels go together");
        }
        String directory = files.isEmpty() ? s.required("data") : s.text("data");
        String format = s.choice("dataFormat", List.of("idx", "libsvm", "parquet"));
        TrainingConfig.FrameSource frame = null;
        if (!format.equals("idx")) {
            if (!files.isEmpty()) {
                throw s.invalid("dataFormat", format + " reads data and testData; the data.* files are for idx");
            }
            frame = new TrainingConfig.FrameSource(format, s.required("testData"), s.required("featuresCol"),
                    s.required("labelCol"));
        }
        return new TrainingConfig.DataSelection(directory, files.isEmpty() ? null : files,
                s.integer("trainLimit", 0, Integer.MAX_VALUE), s.integer("testLimit", 0, Integer.MAX_VALUE), 1, 0, frame);
    }

    /** {@code negatives}: random, hard (the layers that classify), hard:L (the first L) or readout. */
    private static NegativeRule negatives(Settings s, String model, int layers, boolean localReadout) {
        String text = s.text("negatives").trim();
        switch (text) {
            case "random" -> {
                return NegativeRule.RANDOM;
            }
            case "hard" -> {
                return NegativeRule.HARD;
            }
            case "readout" -> {
                if (!localReadout) {
                    throw s.invalid("negatives", "readout draws from the local readout: it needs readout=local");
                }
                return NegativeRule.READOUT;
            }
            default -> {
                // parsed below
            }
        }
        Integer scored = countAfter(text, "hard:", 1, layers);
        if (scored != null && model.equals("simple")) {
            return NegativeRule.firstLayers(scored);
        }
        if (scored != null) {
            throw s.invalid("negatives", "hard:L is for model=simple; the recurrent model scores the labels over its "
                    + "iterations with all its layers: use hard, got '" + text + "'");
        }
        throw s.invalid("negatives", "must be random, hard, hard:L with L from 1 to " + layers
                + " (the first L layers score the labels), or readout, got '" + text + "'");
    }

    private static LearningRateSchedule lrDecay(Settings s, int epochs) {
        String text = s.text("lrDecay").trim();
        if (text.equals("none")) {
            return LearningRateSchedule.NONE;
        }
        if (text.equals("linear")) {
            return new LearningRateSchedule(epochs / 2);
        }
        Integer full = countAfter(text, "linear:", 0, epochs - 1);
        if (full != null) {
            return new LearningRateSchedule(full);
        }
        throw s.invalid("lrDecay", "must be none, linear (falling over the second half) or linear:N with N "
                + "full-rate epochs from 0 to epochs-1 = " + (epochs - 1) + ", got '" + text + "'");
    }

    private static RecurrentFFNetwork.Dynamics dynamics(Settings s) {
        int iterations = s.integer("iterations", 1, MAX_ITERATIONS);
        double damping = s.number("damping", 0, true, 1); // the share of the old state kept: below 1
        String window = s.text("scoreIterations");
        Matcher m = Pattern.compile("(\\d+)-(\\d+)").matcher(window);
        if (!m.matches()) {
            throw s.invalid("scoreIterations", "expected FIRST-LAST (1-based iterations), got '" + window + "'");
        }
        int from = Integer.parseInt(m.group(1));
        int to = Integer.parseInt(m.group(2));
        if (from < 1 || to < from || to > iterations) {
            throw s.invalid("scoreIterations", "window " + window + " must lie within iterations 1-" + iterations);
        }
        return new RecurrentFFNetwork.Dynamics(iterations, (float) damping, from, to);
    }

    /** The whole number from {@code min} to {@code max} after {@code prefix} in {@code text}, or null. */
    static Integer countAfter(String text, String prefix, int min, int max) {
        if (!text.startsWith(prefix)) {
            return null;
        }
        try {
            int n = Integer.parseInt(text.substring(prefix.length()).trim());
            return n >= min && n <= max ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int missing(Settings s) {
        for (int i = 0; i < DATA_FILE_KEYS.size(); i++) {
            if (s.text(DATA_FILE_KEYS.get(i)).isEmpty()) {
                return i;
            }
        }
        return 0;
    }

    private static List<Integer> hidden(Settings s) {
        String text = s.required("hidden");
        List<Integer> widths = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            int w;
            try {
                w = Integer.parseInt(part.trim());
            } catch (NumberFormatException e) {
                w = -1;
            }
            if (w < 1 || w > MAX_WIDTH) {
                throw s.invalid("hidden", "must be comma-separated layer widths from 1 to " + MAX_WIDTH
                        + " (e.g. 500,500), got '" + text + "'");
            }
            widths.add(w);
        }
        // Whatever the input, a layer's weights from the layer below (and, in the recurrent model, from the
        // one above) must fit in one array.
        for (int l = 1; l < widths.size(); l++) {
            long above = l + 1 < widths.size() ? widths.get(l + 1) : 0;
            long length = (long) widths.get(l) * (widths.get(l - 1) + 1 + above);
            if (length > FFNetwork.MAX_BLOCK) {
                throw s.invalid("hidden", "gives layer " + (l + 1) + " " + length + " weights, more than a Java array "
                        + "holds (" + FFNetwork.MAX_BLOCK + "): use narrower layers");
            }
        }
        return widths;
    }
}
