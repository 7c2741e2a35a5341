/**
 * Data: IDX reading and validation on any Hadoop file system, seeded subsets, and the dense
 * {@link org.ffspark.data.DataBlock}s that Spark partitions cache.
 */
package org.ffspark.data;
