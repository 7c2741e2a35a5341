package org.ffspark.model;

import org.ffspark.linalg.ActiveColumns;
import org.ffspark.linalg.LaneSums;
import org.ffspark.linalg.ProductThreads;
import org.ffspark.linalg.RowAdditions;

/**
 * The parts of one layer's weight gradient ({@code width x inputs}, row-major) computed but not yet
 * added to it, so that the optimizer adds them row by row in its own pass instead of two more sweeps
 * over the whole gradient: the gradient of the active input columns alone ({@link ActiveColumns}), and
 * peer normalisation's rank-one term {@code units[j] * inputs[k]}. They are added in that order, exactly
 * as adding them at once would (a zeroed gradient plus the columns, plus the term).
 */
final class DeferredRows implements RowAdditions {
    private final int width;
    private final int inputs;
    private float[] columnGradient = new float[0];
    private int[] columnIndex = new int[0];
    private int columnCount;
    private boolean columns;
    private final float[] units;
    private final float[] inputFactors;
    private boolean rankOne;

    DeferredRows(int width, int inputs) {
        this.width = width;
        this.inputs = inputs;
        this.units = new float[width];
        this.inputFactors = new float[inputs];
    }

    /**
     * A zeroed {@code width x count()} buffer for the gradient of {@code active}'s columns, to be added to
     * those columns later.
     */
    float[] columns(ActiveColumns active) {
        int u = active.count();
        if (columnGradient.length < width * u) {
            columnGradient = new float[width * Math.max(u, inputs / 2)];
            columnIndex = new int[inputs];
        } else {
            java.util.Arrays.fill(columnGradient, 0, width * u, 0f);
        }
        active.copyIndex(columnIndex);
        columnCount = u;
        columns = true;
        return columnGradient;
    }

    /** Defers the rank-one term for {@code units}; returns the zeroed input factors for the caller to fill. */
    float[] rankOne(float[] unitFactors) {
        System.arraycopy(unitFactors, 0, units, 0, width);
        java.util.Arrays.fill(inputFactors, 0f);
        rankOne = true;
        return inputFactors;
    }

    /** Whether the active columns' gradient is among the deferred parts. */
    boolean hasColumns() {
        return columns;
    }

    boolean pending() {
        return columns || rankOne;
    }

    /** Forgets the terms: they have been added. */
    void clear() {
        columns = false;
        rankOne = false;
    }

    @Override
    public void addTo(int row, float[] matrix, int offset) {
        if (columns) {
            int from = row * columnCount;
            for (int j = 0; j < columnCount; j++) {
                matrix[offset + columnIndex[j]] += columnGradient[from + j];
            }
        }
        if (rankOne) {
            LaneSums.addScaled(units[row], inputFactors, 0, matrix, offset, inputs);
        }
    }

    /** Adds every row's terms to {@code gradient} and forgets them. */
    void addAll(float[] gradient) {
        ProductThreads.split(width, (long) width * inputs, (j0, j1) -> {
            for (int j = j0; j < j1; j++) {
                addTo(j, gradient, j * inputs);
            }
        });
        clear();
    }

    int rows() {
        return width;
    }

    int columnsPerRow() {
        return inputs;
    }
}
