/**
 * Distributed training: the per-partition share of a step (Spark-free), the epoch schedule, and the
 * thin Spark loop around them (broadcast, per-partition gradients, per-layer aggregation, Adam on the
 * driver, distributed evaluation).
 */
package org.ffspark.train;
