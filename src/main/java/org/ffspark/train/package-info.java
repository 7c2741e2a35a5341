/**
 * Distributed training, a thin Spark loop around the partitions' work: the epoch loop, the exact rule
 * and the averaging rounds, results combined in partition order, scoring on the cluster, the data as
 * cached blocks, and the readouts and the backpropagation twin that MLlib fits.
 */
package org.ffspark.train;
