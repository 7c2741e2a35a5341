package org.ffspark.run;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.spark.api.java.JavaSparkContext;
import org.ffspark.config.Settings;
import org.ffspark.config.TrainingConfigReader;
import org.ffspark.report.RunSummary;
import org.ffspark.store.RunOutput;
import org.ffspark.train.TrainingConfig;
import org.ffspark.train.TrainingListener;

/**
 * A training run, the service under {@code submit/train.sh}, grids, the bench and the Spark ML
 * estimator's callers: prepares the data ({@link IdxPreparation}, {@link FramePreparation}), trains
 * the model the config names ({@link FFTraining}, {@link TwinTraining}), and writes metrics, model,
 * summary and report into the run's output directory.
 */
public final class TrainingRun {
    private final JavaSparkContext sc;
    private final PrintStream console;
    private final List<TrainingListener> extraListeners = new ArrayList<>();

    public TrainingRun(JavaSparkContext sc, PrintStream console) {
        this.sc = sc;
        this.console = console;
    }

    /** Also tells {@code listener} of every finished epoch (after the console, metrics and checkpoints). */
    public TrainingRun addListener(TrainingListener listener) {
        extraListeners.add(listener);
        return this;
    }

    /** Runs a training and returns its summary (as written to summary.json). */
    public RunSummary run(Settings settings) {
        TrainingConfig config = TrainingConfigReader.from(settings);
        PreparedData data = prepare(config);
        try {
            RunOutput output = new RunOutput(config.run().out(), sc.hadoopConfiguration());
            return train(settings, config, data, output, "", () -> false);
        } finally {
            data.blocks().release();
        }
    }

    /**
     * Reads and checks the data a config names (on the driver, so that any problem is reported before
     * anything is written), then has the executors build and cache their blocks.
     */
    public PreparedData prepare(TrainingConfig config) {
        return config.data().frame() != null ? FramePreparation.prepare(sc, config, console)
                : IdxPreparation.prepare(sc, config);
    }

    /**
     * Trains on prepared data and writes metrics, model, summary and report to {@code output}.
     *
     * @param label     prefixes console lines and Spark job descriptions (e.g. a grid point), or ""
     * @param cancelled asked before every step; stops the run when it says so
     */
    public RunSummary train(Settings settings, TrainingConfig config, PreparedData data, RunOutput output,
                            String label, BooleanSupplier cancelled) {
        if (config.model().equals("mlp")) {
            return TwinTraining.train(sc, console, settings, config, data, output, label);
        }
        return new FFTraining(sc, console, extraListeners).train(settings, config, data, output, label, cancelled);
    }
}
