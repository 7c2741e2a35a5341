package org.ffspark.train;

import org.ffspark.model.FFNetwork;
import org.ffspark.model.LayerGradients;
import org.ffspark.partition.PartitionRound;

/** An epoch's training figures as they add up over its steps or rounds, summed over samples. */
final class EpochSums {
    final double[] loss;
    final double[] positive;
    final double[] negative;
    final double[] settling;
    final int layers;
    EpochTiming timing = EpochTiming.NONE;

    EpochSums(FFNetwork network) {
        layers = network.layers();
        loss = new double[network.blocks()];
        positive = new double[layers];
        negative = new double[layers];
        settling = new double[LayerGradients.settlingLength(network)];
    }

    /** One synchronous step's sums; its losses are means over {@code samples}. */
    void add(LayerGradients g, int samples) {
        for (int b = 0; b < loss.length; b++) {
            loss[b] += g.loss(b) * samples;
        }
        for (int l = 0; l < layers; l++) {
            positive[l] += g.positiveGoodnessSum(l);
            negative[l] += g.negativeGoodnessSum(l);
        }
        PartitionRound.addInto(settling, g.settlingSums());
    }

    /** A round's sums, already over samples. */
    void add(PartitionRound.Share round) {
        PartitionRound.addInto(loss, round.lossSums());
        PartitionRound.addInto(positive, round.positiveSums());
        PartitionRound.addInto(negative, round.negativeSums());
        PartitionRound.addInto(settling, round.settlingSums());
    }

    EpochMetrics.TrainingFigures figures(FFNetwork network) {
        double[] layerLoss = new double[layers];
        System.arraycopy(perSample(loss), 0, layerLoss, 0, layers);
        double readout = loss.length > layers ? loss[layers] / timing.samples() : Double.NaN;
        return new EpochMetrics.TrainingFigures(layerLoss, readout, perSample(positive), perSample(negative),
                settling(network));
    }

    /** Mean goodness per layer and iteration of positives and negatives; null for the simple model. */
    private Settling settling(FFNetwork network) {
        if (settling.length == 0) {
            return null;
        }
        int iterations = settling.length / (2 * layers);
        double[][] pos = new double[layers][iterations];
        double[][] neg = new double[layers][iterations];
        for (int l = 0; l < layers; l++) {
            for (int t = 0; t < iterations; t++) {
                pos[l][t] = settling[(l * iterations + t) * 2] / timing.samples();
                neg[l][t] = settling[(l * iterations + t) * 2 + 1] / timing.samples();
            }
        }
        return new Settling(pos, neg);
    }

    private double[] perSample(double[] sums) {
        double[] mean = new double[sums.length];
        for (int i = 0; i < sums.length; i++) {
            mean[i] = sums[i] / timing.samples();
        }
        return mean;
    }
}
