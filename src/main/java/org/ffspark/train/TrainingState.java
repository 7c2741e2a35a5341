package org.ffspark.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ffspark.model.FFNetwork;
import org.ffspark.optim.Adam;

/** The driver's state between epochs: the network, each layer's optimizer, and the epochs so far. */
public final class TrainingState {
    private final FFNetwork network;
    private final Adam[] optimizers;
    private final List<EpochMetrics> history;

    TrainingState(FFNetwork network, Adam[] optimizers, List<EpochMetrics> history) {
        this.network = network;
        this.optimizers = optimizers;
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

    /** A checkpoint of this state (copies, so training may go on while it is written). */
    public Checkpoint checkpoint(Map<String, String> fingerprint) {
        int layers = network.layers();
        float[][] first = new float[layers][];
        float[][] second = new float[layers][];
        long[] steps = new long[layers];
        for (int l = 0; l < layers; l++) {
            first[l] = optimizers[l].firstMoment().clone();
            second[l] = optimizers[l].secondMoment().clone();
            steps[l] = optimizers[l].steps();
        }
        return new Checkpoint(history.size(), network.copy(), first, second, steps, new ArrayList<>(history),
                fingerprint);
    }
}
