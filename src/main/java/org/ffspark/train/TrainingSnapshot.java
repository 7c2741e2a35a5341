package org.ffspark.train;

import java.util.List;
import org.ffspark.model.FFNetwork;

/**
 * The driver's state after a whole epoch, copied out of the live network and optimizers: the network
 * (with the simple model's running unit means), every block's optimizer state and step count, the outer
 * optimizer's momentum of local steps (no arrays without one), and the figures of the epochs so far. A checkpoint saves one; a resumed run starts from one. The random state
 * needs no saving: every draw is a function of the run seed and its position (epoch, step, sample).
 */
public record TrainingSnapshot(int epochsDone, FFNetwork network, float[][] firstMoments, float[][] secondMoments,
                               long[] optimizerSteps, float[][] outerMomentum, List<EpochMetrics> history) {
}
