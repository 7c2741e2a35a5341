package org.ffspark.train;

/**
 * How the recurrent network settles over an epoch: the mean goodness of each layer at each iteration
 * ({@code [layer][iteration - 1]}), for positive samples (true label clamped) and negative ones (a
 * wrong label). Positives should climb and negatives sink as the label's influence spreads down.
 */
public record Settling(double[][] positive, double[][] negative) {
}
