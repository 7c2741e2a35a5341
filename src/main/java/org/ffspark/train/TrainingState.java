package org.ffspark.train;

import java.util.ArrayList;
import java.util.List;
import org.ffspark.model.FFNetwork;
import org.ffspark.optim.Optimizer;
import org.ffspark.optim.OuterOptimizer;

/**
 * The driver's state between epochs: the network, each block's optimizer, the outer optimizer of local
 * steps, and the epochs so far.
 */
public final class TrainingState {
    private final FFNetwork network;
    private final Optimizer[] optimizers;
    private final OuterOptimizer outer;
    private final List<EpochMetrics> history;

    TrainingState(FFNetwork network, Optimizer[] optimizers, OuterOptimizer outer, List<EpochMetrics> history) {
        this.network = network;
        this.optimizers = optimizers;
        this.outer = outer;
        this.history = history;
    }

    public FFNetwork network() {
        return network;
    }

    public List<EpochMetrics> history() {
        return List.copyOf(history);
    }

    public int epochsDone() {
        return history.size();
    }

    /** A copy of this state, so training may go on while it is saved. */
    public TrainingSnapshot snapshot() {
        int blocks = network.blocks();
        float[][] first = new float[blocks][];
        float[][] second = new float[blocks][];
        long[] steps = new long[blocks];
        for (int b = 0; b < blocks; b++) {
            first[b] = optimizers[b].firstMoment().clone();
            second[b] = optimizers[b].secondMoment().clone();
            steps[b] = optimizers[b].steps();
        }
        float[][] outerMomentum = new float[outer.state().length][];
        for (int b = 0; b < outerMomentum.length; b++) {
            outerMomentum[b] = outer.state()[b].clone();
        }
        return new TrainingSnapshot(history.size(), network.copy(), first, second, steps, outerMomentum,
                new ArrayList<>(history));
    }
}
