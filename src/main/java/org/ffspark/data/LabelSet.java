package org.ffspark.data;

/**
 * The labels of one IDX label file, each in {@code 0..classes-1}.
 *
 * @param sha256 hex SHA-256 of the uncompressed file, for provenance
 */
public record LabelSet(String source, byte[] labels, String sha256) {
    public int count() {
        return labels.length;
    }
}
