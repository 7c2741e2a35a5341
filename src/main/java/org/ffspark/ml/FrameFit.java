package org.ffspark.ml;

import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.ffspark.FfsparkException;
import org.ffspark.data.DataBlock;
import org.ffspark.eval.Calibration;
import org.ffspark.model.FFNetwork;
import org.ffspark.model.SimpleFFNetwork;
import org.ffspark.train.BlockSplits;
import org.ffspark.train.ClusterScoring;
import org.ffspark.train.DistributedTrainer;
import org.ffspark.train.FrameBlocks;
import org.ffspark.train.LogisticReadout;
import org.ffspark.train.TrainingConfig;
import org.ffspark.train.TrainingData;

/**
 * The estimator's fit on a DataFrame: the rows as cached blocks, a seeded fraction held out, FF training
 * on the rest, and the softmax temperature fitted on the held-out rows.
 */
final class FrameFit {
    private static final Logger LOG = LogManager.getLogger(ForwardForwardClassifier.class);

    private FrameFit() {
    }

    /** The trained network and what its training recorded. */
    record Fitted(FFNetwork network, ForwardForwardTrainingSummary summary) {
    }

    static Fitted fit(Dataset<?> dataset, TrainingConfig config, String featuresCol, String labelCol,
                      double calibrationFraction, String uid) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
        FrameBlocks.Blocks data = null;
        BlockSplits.Split split = null;
        JavaRDD<DataBlock> monitor = null;
        try {
            data = FrameBlocks.of(dataset, featuresCol, labelCol, config.data().partitions());
            split = BlockSplits.holdOut(data.blocks(), calibrationFraction, config.seed());
            if (split.keptCount() == 0) {
                throw new FfsparkException("calibrationFraction " + calibrationFraction + " holds out every one "
                        + "of the " + data.count() + " rows; none are left to train on");
            }
            monitor = BlockSplits.head(split.kept(), Math.min(split.keptCount(), config.data().trainAccuracyImages()))
                    .cache();
            TrainingData blocks = new TrainingData(split.kept(), split.keptCount(), monitor, sc.emptyRDD(), 0);
            FFNetwork initial = config.initialNetwork(data.features(), data.classes());
            DistributedTrainer trainer = new DistributedTrainer(sc, "fit " + uid + " ", () -> false);
            DistributedTrainer.Result result = trainer.train(config, initial, blocks, List.of(), null);
            FFNetwork network = result.network();
            if (config.readout() == TrainingConfig.ReadoutFit.LOGISTIC) {
                network = LogisticReadout.fit(sc, (SimpleFFNetwork) network, split.kept(),
                        config.readoutOptimizer().weightDecay(), config.classifier(), "fit " + uid + " ");
            }
            // The temperature is fitted, and the calibration measured, on rows the network never saw.
            double temperature = 1;
            double before = Double.NaN;
            double after = Double.NaN;
            if (split.heldOutCount() > 0) {
                ClusterScoring.Scored scored = new ClusterScoring(sc).score(network, split.heldOut());
                temperature = Calibration.fitTemperature(scored.scores(), scored.labels(), scored.count(),
                        scored.classes());
                before = Calibration.expectedCalibrationError(scored.scores(), scored.labels(), scored.count(),
                        scored.classes(), 1);
                after = Calibration.expectedCalibrationError(scored.scores(), scored.labels(), scored.count(),
                        scored.classes(), temperature);
            }
            ForwardForwardTrainingSummary summary = new ForwardForwardTrainingSummary(result.epochs(), temperature,
                    before, after);
            LOG.info("{}: fitted; softmax temperature {} (expected calibration error {} -> {})", uid, temperature,
                    summary.calibrationErrorBefore(), summary.calibrationError());
            return new Fitted(network, summary);
        } catch (Exception e) { // Spark's task failures are checked exceptions, thrown undeclared
            throw userError(e);
        } finally {
            if (monitor != null) {
                monitor.unpersist(false);
            }
            if (split != null) {
                split.unpersist();
            }
            if (data != null) {
                data.unpersist();
            }
        }
    }

    /** An executor's refusal of the data arrives wrapped in Spark's task failure: surface its message. */
    static RuntimeException userError(Exception e) {
        FfsparkException f = FfsparkException.findIn(e);
        if (f != null) {
            return f == e ? f : new FfsparkException(f.getMessage(), e);
        }
        return e instanceof RuntimeException r ? r : new IllegalStateException(e.getMessage(), e);
    }
}
