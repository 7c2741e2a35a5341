package org.ffspark.train;

import org.ffspark.FfsparkException;

/** A loss or a weight became NaN or infinite: training stops rather than go on with garbage. */
public final class TrainingDivergedException extends FfsparkException {
    public TrainingDivergedException(String what, int layer, int epoch, int step) {
        super("training diverged: " + what + " of layer " + (layer + 1) + " is not finite at epoch "
                + epoch + " step " + step + " (try a lower lr)");
    }
}
