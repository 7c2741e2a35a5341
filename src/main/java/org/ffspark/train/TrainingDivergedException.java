package org.ffspark.train;

import java.util.Locale;
import org.ffspark.FfsparkException;

/** A loss or a weight became NaN, infinite or explosively large: training stops rather than go on with garbage. */
public final class TrainingDivergedException extends FfsparkException {
    public TrainingDivergedException(String what, int layer, int epoch, int step) {
        super("training diverged: " + what + " of layer " + (layer + 1) + " is not finite at epoch "
                + epoch + " step " + step + " (try a lower lr)");
    }

    /** An epoch's loss of {@code layer} reached {@code loss}, far beyond what learning produces. */
    public TrainingDivergedException(int layer, double loss, int epoch) {
        super(String.format(Locale.ROOT, "training diverged: the loss of layer %d reached %.3g at epoch %d (try a "
                + "lower lr)", layer + 1, loss, epoch));
    }
}
