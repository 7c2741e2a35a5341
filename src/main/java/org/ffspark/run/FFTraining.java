package org.ffspark.run;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.spark.api.java.JavaSparkContext;
import org.ffspark.FfsparkException;
import org.ffspark.config.Settings;
import org.ffspark.eval.ConfusionMatrix;
import org.ffspark.model.Classifier;
import org.ffspark.model.FFNetwork;
import org.ffspark.model.SimpleFFNetwork;
import org.ffspark.report.ConsoleProgress;
import org.ffspark.report.Json;
import org.ffspark.report.MetricsLog;
import org.ffspark.report.Provenance;
import org.ffspark.report.RunReport;
import org.ffspark.report.RunSummary;
import org.ffspark.store.Checkpoint;
import org.ffspark.store.CheckpointStore;
import org.ffspark.store.ModelFile;
import org.ffspark.store.RunOutput;
import org.ffspark.train.ClusterScoring;
import org.ffspark.train.DistributedTrainer;
import org.ffspark.train.DivergenceGuard;
import org.ffspark.train.EpochMetrics;
import org.ffspark.train.ExecutorNumerics;
import org.ffspark.train.LogisticReadout;
import org.ffspark.train.TrainingConfig;
import org.ffspark.train.TrainingData;
import org.ffspark.train.TrainingDivergedException;
import org.ffspark.train.TrainingListener;

/**
 * A Forward-Forward run on prepared data: resumes from the newest checkpoint or prepares a fresh
 * output folder, trains with the console, the metrics log, the divergence guard and the checkpoints
 * listening, fits a logistic readout if asked, and writes the model, the summary and the report, then
 * {@code _SUCCESS}.
 */
final class FFTraining {
    private final JavaSparkContext sc;
    private final PrintStream console;
    private final List<TrainingListener> extraListeners;

    FFTraining(JavaSparkContext sc, PrintStream console, List<TrainingListener> extraListeners) {
        this.sc = sc;
        this.console = console;
        this.extraListeners = extraListeners;
    }

    RunSummary train(Settings settings, TrainingConfig config, PreparedData data, RunOutput output, String label,
                     BooleanSupplier cancelled) {
        TrainingData blocks = data.blocks();
        Map<String, String> fingerprint = Fingerprint.of(settings, config, blocks.partitions(), data.contentSha256());
        TrainingConfig.RunOptions options = config.run();
        CheckpointStore checkpoints = new CheckpointStore(options.out(), sc.hadoopConfiguration(),
                options.checkpointEvery(), fingerprint);
        Checkpoint resumeFrom = options.resume() ? checkpoints.newest(console) : null;
        if (resumeFrom != null) {
            Fingerprint.check(resumeFrom, fingerprint, checkpoints.lastWritten());
            output.prepareDirectory();
            console.printf(Locale.ROOT, "%sresuming from %s (%d of %d epochs done)%n", label,
                    checkpoints.lastWritten(), resumeFrom.state().epochsDone(), config.epochs());
        } else {
            // A grid resumes every point: a fresh point's empty folder is no news.
            if (options.resume() && label.isEmpty()) {
                console.println("no checkpoint in " + options.out() + ", starting from epoch 1");
            }
            output.prepare(options.overwrite(), RunReport.FOLDER);
        }
        FFNetwork network = config.initialNetwork(data.features(), data.classes());
        RunPrinter.header(console, label, sc, settings, config, blocks, network);
        sc.setJobDescription(label + "ask the executors what they compute with");
        Map<String, List<Integer>> numerics = ExecutorNumerics.of(blocks.train());
        ExecutorNumerics.warnIfApart(numerics, console, label);

        // In place on a terminal only, and not for grid points, whose lines interleave.
        boolean interactive = label.isEmpty() && console == System.out && System.console() != null;
        // The guard before the checkpoints, so that the last checkpoint is one from before an explosion.
        List<TrainingListener> listeners = new ArrayList<>(List.of(new ConsoleProgress(console, label, interactive),
                new MetricsLog(output), new DivergenceGuard(network, console, label), checkpoints));
        listeners.addAll(extraListeners);
        DistributedTrainer.Result result;
        try {
            result = new DistributedTrainer(sc, label, cancelled).train(config, network, blocks, listeners,
                    resumeFrom == null ? null : resumeFrom.state());
        } catch (TrainingDivergedException e) {
            throw new FfsparkException(e.getMessage() + "; " + (checkpoints.lastWritten() == null
                    ? "no checkpoint was written" : "last good checkpoint: " + checkpoints.lastWritten()), e);
        }
        FFNetwork trained = result.network();
        if (config.readout() == TrainingConfig.ReadoutFit.LOGISTIC) {
            console.println(label + "fitting the readout by logistic regression on the training images' activities");
            trained = LogisticReadout.fit(sc, (SimpleFFNetwork) trained, blocks.train(),
                    config.readoutOptimizer().weightDecay(), config.classifier(), label);
        }
        List<RunSummary.ClassifierFigures> classifiers = new ArrayList<>();
        ConfusionMatrix finalTest = finalTest(trained, result.epochs(), blocks, classifiers, label);
        MetricsLog.write(output, result.epochs());

        Provenance provenance = RunProvenance.of(sc, settings, data.sha256(), blocks.partitions(), numerics);
        output.write(RunOutput.MODEL, ModelFile.toBytes(trained, Json.map(provenance)));
        String classifier = trained instanceof SimpleFFNetwork s ? s.design().classifier().text() : "goodness";
        RunSummary summary = RunSummary.of(config, result.epochs(), finalTest, classifiers, classifier,
                trained.parameterCount(), blocks.trainCount(), blocks.testCount(), provenance, RunOutput.MODEL);
        output.write(RunOutput.SUMMARY, Json.document(summary));
        RunReport.write(new RunOutput(output.path(RunReport.FOLDER), sc.hadoopConfiguration()),
                RunReport.figures(result.epochs(), trained, data.reportSamples()), summary, result.epochs());
        // Written last: a run whose folder holds _SUCCESS wrote all its files completely.
        output.write(RunOutput.SUCCESS, new byte[0]);

        EpochMetrics last = result.epochs().get(result.epochs().size() - 1);
        RunPrinter.results(console, label, summary, last, classifiers, finalTest, output);
        return summary;
    }

    /**
     * The trained model's test confusion matrix. With a readout, the test set is scored once by each
     * classifier, timed, into {@code classifiers}; otherwise the last epoch's matrix serves.
     */
    private ConfusionMatrix finalTest(FFNetwork trained, List<EpochMetrics> epochs, TrainingData blocks,
                                      List<RunSummary.ClassifierFigures> classifiers, String label) {
        if (!(trained instanceof SimpleFFNetwork simple) || !simple.hasReadout()) {
            return epochs.get(epochs.size() - 1).test();
        }
        ConfusionMatrix own = null;
        ClusterScoring scoring = new ClusterScoring(sc);
        for (Classifier c : Classifier.values()) {
            sc.setJobDescription(label + "evaluate the test set by " + c.text());
            long started = System.nanoTime();
            ConfusionMatrix matrix = scoring.evaluate(simple.withClassifier(c), blocks.test());
            classifiers.add(new RunSummary.ClassifierFigures(c.text(), matrix.accuracy(),
                    (System.nanoTime() - started) / 1e9));
            if (c == simple.design().classifier()) {
                own = matrix;
            }
        }
        return own;
    }
}
