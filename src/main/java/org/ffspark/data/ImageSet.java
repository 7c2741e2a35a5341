package org.ffspark.data;

/**
 * The images of one IDX image file: {@code count} images of {@code rows x cols} unsigned bytes,
 * row-major, one image after another.
 *
 * @param source where it was read from, for messages
 * @param sha256 hex SHA-256 of the uncompressed file, for provenance
 */
public record ImageSet(String source, int count, int rows, int cols, byte[] pixels, String sha256) {
    public int pixelsPerImage() {
        return rows * cols;
    }
}
