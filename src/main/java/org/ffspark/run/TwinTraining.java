package org.ffspark.run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.ffspark.FfsparkException;
import org.ffspark.config.Settings;
import org.ffspark.linalg.Gemm;
import org.ffspark.report.Json;
import org.ffspark.report.RunReport;
import org.ffspark.report.RunSummary;
import org.ffspark.store.RunOutput;
import org.ffspark.train.BackpropTwin;
import org.ffspark.train.TrainingConfig;
import org.ffspark.train.TrainingData;

/**
 * {@code model=mlp}: the Forward-Forward network's backpropagation twin, trained whole (it has no
 * checkpoints), with its summary, its loss per iteration as metrics, and MLlib's model folder in the
 * run's output.
 */
final class TwinTraining {
    /** The MLlib model folder of {@code model=mlp}. */
    static final String MLP_MODEL = "mlp-model";

    private TwinTraining() {
    }

    static RunSummary train(JavaSparkContext sc, PrintStream console, Settings settings, TrainingConfig config,
                            PreparedData data, RunOutput output, String label) {
        output.prepare(config.run().overwrite() || config.run().resume(), RunReport.FOLDER);
        TrainingData blocks = data.blocks();
        console.printf(Locale.ROOT, "%sffspark %s | Spark %s %s | %s | BLAS %s%n", label, Versions.ffspark(),
                sc.version(), sc.master(), RunPrinter.count(blocks.partitions(), "partition"), Gemm.library());
        console.printf(Locale.ROOT, "%smodel mlp (backpropagation, MLlib's MultilayerPerceptronClassifier, L-BFGS) "
                        + "hidden %s | %d train / %d test images | %s | out %s%n", label, config.hidden(),
                blocks.trainCount(), blocks.testCount(), RunPrinter.count(config.epochs(), "iteration"),
                config.run().out());
        BackpropTwin.Result twin = BackpropTwin.train(sc, config, blocks, data.features(), data.classes());
        StringBuilder metrics = new StringBuilder();
        double[] objective = twin.objective();
        for (int i = 0; i < objective.length; i++) {
            metrics.append(Json.line(Map.of("iteration", i, "loss", objective[i]))).append('\n');
        }
        output.write(RunOutput.METRICS, metrics.toString().getBytes(StandardCharsets.UTF_8));
        String modelFolder = output.path(MLP_MODEL);
        try {
            twin.model().write().overwrite().save(modelFolder);
        } catch (IOException e) {
            throw new FfsparkException("cannot write " + modelFolder + ": " + e.getMessage(), e);
        }
        int iterations = Math.max(0, objective.length - 1); // the history starts with the initial loss
        RunSummary summary = RunSummary.ofTwin(config, twin.test(), twin.train().accuracy(), iterations,
                twin.seconds(), twin.parameters(), blocks.trainCount(), blocks.testCount(),
                RunProvenance.of(sc, settings, data.sha256(), blocks.partitions(), java.util.Map.of()), MLP_MODEL);
        output.write(RunOutput.SUMMARY, Json.document(summary));
        output.write(RunOutput.SUCCESS, new byte[0]);
        console.printf(Locale.ROOT, "%stest accuracy %.2f%%, train accuracy %.2f%%, %d iterations in %.1fs%n", label,
                100 * summary.testAccuracy(), 100 * summary.trainAccuracy(), iterations, twin.seconds());
        console.println(label + "wrote " + output.path(RunOutput.METRICS) + ", " + output.path(RunOutput.SUMMARY)
                + ", " + modelFolder);
        return summary;
    }
}
