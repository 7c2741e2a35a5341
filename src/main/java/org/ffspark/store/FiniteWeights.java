package org.ffspark.store;

import org.ffspark.FfsparkException;
import org.ffspark.model.FFNetwork;

/**
 * The check every loaded model passes: no NaN or infinite weight. A network holding one scores every
 * label alike (accuracy at chance, exit 0) and its file is better refused, naming what holds it.
 */
public final class FiniteWeights {
    private FiniteWeights() {
    }

    /** Refuses {@code values} if any is not finite, naming the file and the tensor. */
    public static void check(float[] values, String file, String tensor) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new FfsparkException(file + ": " + tensor + " holds " + values[i] + " at position " + i
                        + "; a model with weights that are not finite numbers cannot be used");
            }
        }
    }

    /** Refuses a network with a weight that is not finite, naming the file and the block. */
    public static void check(FFNetwork network, String file) {
        for (int b = 0; b < network.blocks(); b++) {
            check(network.parameters(b), file, b < network.layers() ? "layer " + (b + 1) : "the readout");
        }
    }
}
