package org.ffspark.model;

import java.io.Serializable;

/**
 * How a training step picks each positive sample's wrong label: uniformly ({@link Source#RANDOM}, the
 * notebook's rule), or in proportion to the network's own belief in it, scored by goodness
 * ({@link Source#GOODNESS}, the paper's hard negatives) or by the readout ({@link Source#READOUT}, as
 * Hinton's released code does: one neutral pass, which the readout's training runs anyway).
 *
 * @param layers for {@link Source#GOODNESS}: the goodness of the first {@code layers} layers; 0 for the
 *               layers that classify
 */
public record NegativeRule(Source source, int layers) implements Serializable {
    private static final long serialVersionUID = 1L;

    public enum Source { RANDOM, GOODNESS, READOUT }

    public static final NegativeRule RANDOM = new NegativeRule(Source.RANDOM, 0);
    public static final NegativeRule READOUT = new NegativeRule(Source.READOUT, 0);

    /** Scored by the goodness of the layers that classify. */
    public static final NegativeRule HARD = new NegativeRule(Source.GOODNESS, 0);

    /** Scored by the goodness of the first {@code layers} layers. */
    public static NegativeRule firstLayers(int layers) {
        return new NegativeRule(Source.GOODNESS, layers);
    }

    /** Whether wrong labels follow the network's scores. */
    public boolean hard() {
        return source != Source.RANDOM;
    }

    /** As the {@code negatives} key writes it. */
    public String text() {
        return switch (source) {
            case RANDOM -> "random";
            case READOUT -> "readout";
            case GOODNESS -> layers == 0 ? "hard" : "hard:" + layers;
        };
    }
}
