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

    /**
     * The share of pixels above mid-grey. MNIST's digits are light on a dark background: about a fifth
     * of its pixels are light; a scan or a drawing of a dark digit on white has most of them light.
     */
    public double lightShare() {
        long light = 0;
        for (byte p : pixels) {
            light += (p & 0xFF) > 127 ? 1 : 0;
        }
        return pixels.length == 0 ? 0 : (double) light / pixels.length;
    }
}
