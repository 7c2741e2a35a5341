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
    /** {@code simple} or {@code recurrent}, as the {@code model} key and the model file name it. */
    String model();

    int inputSize();

    int classes();

    int layers();

    int width(int layer);

    int[] widths();

    GoodnessRule rule();

    int parameterCount(int layer);

    default long parameterCount() {
        long total = 0;
        for (int l = 0; l < layers(); l++) {
            total += parameterCount(l);
        }
        return total;
    }

    /** The live parameter array of a layer: the optimizer updates it in place. */
    float[] parameters(int layer);

    FFNetwork copy();

    /** A network of the same model and shape holding {@code parameters} (one array per layer, not copied). */
    FFNetwork withParameters(float[][] parameters);
}
