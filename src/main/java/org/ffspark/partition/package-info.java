/**
 * What one partition computes, free of Spark so that a test can hold it against a single process: its
 * members of a step and their share of the gradients, a round of optimizer steps on its own replica,
 * the epoch's seeded order and batches.
 */
package org.ffspark.partition;
