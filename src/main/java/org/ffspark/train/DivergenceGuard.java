package org.ffspark.train;

import java.io.PrintStream;
import java.util.Locale;
import org.ffspark.model.FFNetwork;

/**
 * Stops a run whose loss has exploded, and warns of one whose accuracy has fallen to chance: a
 * learning rate far too high can leave every number finite while the network learns nothing (a loss
 * of 3e18 and 10% accuracy), which the non-finite checks of the steps do not catch.
 */
public final class DivergenceGuard implements TrainingListener {
    /**
     * A layer's loss per pair beyond this many times its threshold (or beyond this, below a threshold
     * of 1) is divergence: learning moves a loss that starts near the threshold's scale down, not up
     * by six orders of magnitude.
     */
    static final double EXPLOSION = 1e6;
    /** Accuracy within this of chance is taken for none. */
    static final double CHANCE_MARGIN = 0.02;

    private final FFNetwork network;
    private final PrintStream console;
    private final String label;
    private boolean warned;

    public DivergenceGuard(FFNetwork network, PrintStream console, String label) {
        this.network = network;
        this.console = console;
        this.label = label;
    }

    @Override
    public void epochFinished(EpochMetrics metrics, TrainingState state) {
        double[] loss = metrics.loss();
        for (int l = 0; l < loss.length; l++) {
            double scale = Math.max(1, network.rule().threshold(network.width(l)));
            if (loss[l] > EXPLOSION * scale) {
                throw new TrainingDivergedException(l, loss[l], metrics.epoch());
            }
        }
        double chance = 1.0 / network.classes();
        if (!warned && metrics.evaluated() && metrics.epoch() >= 2
                && metrics.testAccuracy() <= chance + CHANCE_MARGIN) {
            warned = true;
            console.printf(Locale.ROOT, "%swarning: test accuracy %.2f%% after epoch %d is chance (%.0f%%): the network "
                    + "is not learning; a lower lr may help%n", label, 100 * metrics.testAccuracy(), metrics.epoch(),
                    100 * chance);
        }
    }
}
