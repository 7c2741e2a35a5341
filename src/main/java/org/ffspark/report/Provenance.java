package org.ffspark.report;

import java.util.Map;

/**
 * Where a trained network came from: the resolved settings, the checksums of the data it read, and
 * the software and machinery that trained it. Saved in the summary and inside every model file.
 *
 * @param config     every training key with its value, defaults included
 * @param dataSha256 SHA-256 of each input file
 * @param blas       the BLAS the products ran on: the native library and its file, or the Java implementation
 * @param sums       what computed the sums of squares: {@code Vector API} or {@code scalar}
 * @param executors  what the executors computed with (BLAS, kernels, threads, sums), each with the
 *                   partitions it trained: one entry, the driver's, when all agree
 */
public record Provenance(Map<String, String> config, Map<String, String> dataSha256, String ffspark, String spark,
                         String master, int partitions, String blas, String sums, String java,
                         Map<String, java.util.List<Integer>> executors) {
}
