package org.ffspark.linalg;

/**
 * Terms still to be added to the rows of a row-major matrix, added one row at a time by whoever next
 * sweeps over the matrix (an optimizer over a gradient): the row is then in the core's cache, and the
 * sweep a term of its own would cost is saved.
 */
@FunctionalInterface
public interface RowAdditions {
    /** Adds the terms of row {@code row} to {@code matrix[offset ..]}, the row's place. */
    void addTo(int row, float[] matrix, int offset);
}
