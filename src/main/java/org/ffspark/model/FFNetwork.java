package org.ffspark.model;

import java.io.Serializable;

/**
 * A Forward-Forward network as the trainer sees it: layers, each with its own parameter vector, its
 * own local loss and its own optimizer. The two models differ in what a layer's parameters are and
 * how activity flows ({@link SimpleFFNetwork}: bottom-up once; {@link RecurrentFFNetwork}: both ways
 * over several damped iterations); the distributed step, the aggregation, Adam, checkpoints and the
 * model file treat them alike.
 */
public sealed interface FFNetwork extends Serializable permits SimpleFFNetwork, RecurrentFFNetwork {
    /** The longest Java array. */
    int MAX_BLOCK = Integer.MAX_VALUE - 8;

    /**
     * A parameter block's length, refused with a message naming the layer when it does not fit in one
     * Java array (hidden=50000,50000 would otherwise overflow an int).
     */
    static int blockLength(long length, String block) {
        if (length > MAX_BLOCK) {
            throw new org.ffspark.FfsparkException(block + " would hold " + length + " parameters, more than a Java "
                    + "array holds (" + MAX_BLOCK + "): use narrower layers");
        }
        return (int) length;
    }

    /** {@code simple} or {@code recurrent}, as the {@code model} key and the model file name it. */
    String model();

    int inputSize();

    int classes();

    int layers();

    int width(int layer);

    int[] widths();

    GoodnessRule rule();

    /**
     * The parameter blocks, each with its own optimizer: the layers, then any block that is not a layer
     * (the simple model's readout).
     */
    default int blocks() {
        return layers();
    }

    /** The parameters of a block (a layer, or the readout after the layers). */
    int parameterCount(int block);

    default long parameterCount() {
        long total = 0;
        for (int b = 0; b < blocks(); b++) {
            total += parameterCount(b);
        }
        return total;
    }

    /** The live parameter array of a block: the optimizer updates it in place. */
    float[] parameters(int block);

    FFNetwork copy();

    /** A network of the same model and shape holding {@code parameters} (one array per block, not copied). */
    FFNetwork withParameters(float[][] parameters);
}
