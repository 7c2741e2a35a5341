package org.ffspark.optim;

import java.io.Serializable;

/**
 * How the learning rate changes over a run: constant, or held for the first {@code fullRateEpochs}
 * epochs and then falling linearly, as in Hinton's own FF code (which decays over the second half).
 * With a constant rate the test accuracy of a 60-epoch run still wanders by a point from epoch to
 * epoch; a falling rate lets the last epochs settle instead of the run ending wherever it happens to be.
 *
 * @param fullRateEpochs epochs at the full rate; {@link #CONSTANT} for no decay
 */
public record LearningRateSchedule(int fullRateEpochs) implements Serializable {
    /** No decay: every epoch at the full rate. */
    public static final int CONSTANT = -1;

    public static final LearningRateSchedule NONE = new LearningRateSchedule(CONSTANT);

    /**
     * The share of the full rate used in {@code epoch} (1-based) of {@code epochs}: 1 up to
     * {@code fullRateEpochs}, then {@code (epochs + 1 - epoch) / (epochs + 1 - fullRateEpochs)}, a
     * straight line that would reach zero one epoch after the last (so the last epoch still learns).
     */
    public double factor(int epoch, int epochs) {
        if (fullRateEpochs == CONSTANT || epoch <= fullRateEpochs) {
            return 1;
        }
        return (double) (epochs + 1 - epoch) / (epochs + 1 - fullRateEpochs);
    }

    /** The schedule as the {@code lrDecay} key writes it. */
    public String text() {
        return fullRateEpochs == CONSTANT ? "none" : "linear:" + fullRateEpochs;
    }
}
