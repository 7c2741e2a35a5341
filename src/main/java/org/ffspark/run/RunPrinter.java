package org.ffspark.run;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.ffspark.config.Settings;
import org.ffspark.eval.ConfusionMatrix;
import org.ffspark.linalg.Bf16Products;
import org.ffspark.linalg.Gemm;
import org.ffspark.linalg.LaneSums;
import org.ffspark.linalg.ProductPrecision;
import org.ffspark.model.FFNetwork;
import org.ffspark.model.RecurrentFFNetwork;
import org.ffspark.model.SimpleFFNetwork;
import org.ffspark.optim.LearningRateSchedule;
import org.ffspark.report.RunReport;
import org.ffspark.report.RunSummary;
import org.ffspark.store.RunOutput;
import org.ffspark.train.EpochMetrics;
import org.ffspark.train.TrainingConfig;
import org.ffspark.train.TrainingData;

/**
 * What a training run prints before and after its epochs: the lines naming the engine, BLAS, model,
 * data and rule, and the closing figures with the files written. Every line starts with the run's
 * label (a grid point's name, or nothing).
 */
final class RunPrinter {
    private RunPrinter() {
    }

    /** The two opening lines of a Forward-Forward run. */
    static void header(PrintStream console, String label, JavaSparkContext sc, Settings settings,
                       TrainingConfig config, TrainingData blocks, FFNetwork network) {
        int taskCores = sc.getConf().getInt("spark.task.cpus", 1);
        String products = config.rule().products() == ProductPrecision.BFLOAT16
                ? " | forward products bfloat16 (" + Bf16Products.library() + ")" : "";
        console.printf(Locale.ROOT, "%sffspark %s | Spark %s %s | %s%s | BLAS %s%s | sums %s%n", label,
                Versions.ffspark(), sc.version(), sc.master(), count(blocks.partitions(), "partition"),
                taskCores > 1 ? " of " + taskCores + " cores" : "", Gemm.library(), products,
                LaneSums.implementation());
        console.printf(Locale.ROOT, "%smodel %s%s hidden %s (%d parameters) | goodness %s | %d train / %d test "
                        + "images | batch %d, %s, sync %s, %s | out %s%n", label,
                config.model(), designText(config, network), config.hidden(), network.parameterCount(),
                config.goodness(), blocks.trainCount(), blocks.testCount(), config.batchSize(),
                optimizerText(settings, config), config.sync().description(), count(config.epochs(), "epoch"), config.run().out());
    }

    /** "1 epoch", "2 epochs". */
    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** The closing lines of a Forward-Forward run; the per-class figures only for a run of its own. */
    static void results(PrintStream console, String label, RunSummary summary, EpochMetrics last,
                        List<RunSummary.ClassifierFigures> classifiers, ConfusionMatrix finalTest, RunOutput output) {
        console.printf(Locale.ROOT, "%stest accuracy %.2f%% (best %.2f%%), train accuracy %.2f%%, "
                        + "median epoch %.1fs%n", label, 100 * summary.testAccuracy(), 100 * summary.bestTestAccuracy(),
                100 * last.trainAccuracy(), summary.epochSeconds());
        if (summary.secondsToAccuracy().containsKey("98.0%")) {
            StringBuilder reached = new StringBuilder();
            summary.secondsToAccuracy().forEach((k, v) -> reached.append(reached.length() == 0 ? "" : ", ")
                    .append(k.equals("final") ? "the final accuracy" : k).append(String.format(Locale.ROOT, " after %.0fs",
                            v)));
            console.println(label + "test accuracy reached " + reached);
        }
        for (RunSummary.ClassifierFigures c : classifiers) {
            console.printf(Locale.ROOT, "%sclassified by %s: test accuracy %.2f%% in %.1fs%n", label, c.name(),
                    100 * c.testAccuracy(), c.evalSeconds());
        }
        if (label.isEmpty()) {
            console.println("per-class test accuracy: " + finalTest.classAccuracyText());
            console.print(finalTest.format());
        }
        console.println(label + "wrote " + output.path(RunOutput.METRICS) + ", " + output.path(RunOutput.SUMMARY)
                + ", " + output.path(RunOutput.MODEL) + ", " + output.path(RunReport.FOLDER + "/" + RunReport.INDEX));
    }

    private static String designText(TrainingConfig config, FFNetwork network) {
        if (network instanceof RecurrentFFNetwork r) {
            return String.format(Locale.ROOT, " (%d iterations, damping %s, scored on iterations %s)",
                    r.dynamics().iterations(), r.dynamics().damping(), r.dynamics().windowText());
        }
        SimpleFFNetwork simple = (SimpleFFNetwork) network;
        List<String> parts = new ArrayList<>();
        if (simple.norm() != SimpleFFNetwork.Design.NOTEBOOK.norm()) {
            parts.add(simple.norm().text() + " norm");
        }
        if (simple.scoreFrom() > 0) {
            parts.add("scored from layer " + (simple.scoreFrom() + 1));
        }
        if (config.readout() != TrainingConfig.ReadoutFit.NONE) {
            parts.add(config.readout().text() + " readout, classified by " + config.classifier().text());
        }
        if (config.rule().peerNorm() > 0) {
            parts.add("peer norm " + config.rule().peerNorm());
        }
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }

    private static String optimizerText(Settings settings, TrainingConfig config) {
        String given = settings.text("lr");
        String rate = settings.text("lrScaling").equals("none") ? given
                : String.format(Locale.ROOT, "%.4g (%s-scaled from %s at batch %s)", config.optimizer().learningRate(),
                        settings.text("lrScaling"), given, settings.text("lrBaseBatch"));
        int full = config.lrSchedule().fullRateEpochs();
        String schedule = full == LearningRateSchedule.CONSTANT ? ""
                : String.format(Locale.ROOT, ", falling linearly after epoch %d to %.3g", full,
                        config.learningRateAt(config.epochs()));
        String decay = config.optimizer().weightDecay() > 0 ? ", weight decay " + settings.text("weightDecay") : "";
        return config.optimizer().kind().text() + " lr " + rate + schedule + decay + ", negatives "
                + config.rule().negatives().text();
    }
}
