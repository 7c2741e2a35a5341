package org.ffspark.train;

import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.ffspark.FfsparkException;

/**
 * The checks of a DataFrame's features and label columns, and of each row's values, with the one-line
 * messages that name the column and the row; and what the columns' metadata declares.
 */
public final class FrameColumns {
    private FrameColumns() {
    }

    /**
     * Checks one row's features: present, {@code width} values when that is known (at least 0), all
     * finite; returns the vector. {@code row} is the row's number, or -1 when not known.
     */
    public static Vector features(Object value, String column, long row, int width) {
        if (value == null) {
            throw new FfsparkException("features column '" + column + "' is null in " + rowText(row));
        }
        Vector v = (Vector) value;
        if (width >= 0 && v.size() != width) {
            throw new FfsparkException(String.format(Locale.ROOT, "features column '%s': %s has %d values, "
                    + "expected %d", column, rowText(row), v.size(), width));
        }
        double[] dense = v.toArray();
        for (int j = 0; j < dense.length; j++) {
            if (!Double.isFinite(dense[j])) {
                throw new FfsparkException(String.format(Locale.ROOT, "features column '%s' holds %s at position "
                        + "%d of %s; features must be finite numbers", column, dense[j], j, rowText(row)));
            }
        }
        return v;
    }

    /** "row N", or "a row" when the row's number is not known (a transform's). */
    private static String rowText(long row) {
        return row >= 0 ? "row " + row : "a row";
    }

    /** Checks one row's label: present, a whole number from 0; returns it. */
    public static int label(Double value, String column, long row) {
        if (value == null) {
            throw new FfsparkException("label column '" + column + "' is null in row " + row);
        }
        double x = value;
        if (x != Math.rint(x) || x < 0 || x > Integer.MAX_VALUE) {
            throw new FfsparkException("label column '" + column + "' holds " + x + " in row " + row
                    + "; labels must be class indices 0, 1, 2, ...");
        }
        return (int) x;
    }

    public static void checkColumns(Dataset<?> dataset, String featuresCol, String labelCol) {
        List<String> names = List.of(dataset.schema().fieldNames());
        for (String column : List.of(featuresCol, labelCol)) {
            if (!names.contains(column)) {
                throw new FfsparkException("the DataFrame has no column '" + column + "' (it has "
                        + String.join(", ", names) + ")");
            }
        }
        DataType features = dataset.schema().apply(featuresCol).dataType();
        if (!(features instanceof VectorUDT)) {
            throw new FfsparkException("features column '" + featuresCol + "' holds " + features.simpleString()
                    + ", not vectors (assemble them with VectorAssembler)");
        }
        DataType label = dataset.schema().apply(labelCol).dataType();
        if (!(label instanceof NumericType)) {
            throw new FfsparkException("label column '" + labelCol + "' holds " + label.simpleString()
                    + ", not numbers (index them with StringIndexer)");
        }
    }

    /** The vector size the features column's metadata declares, or -1. */
    public static int declaredSize(Dataset<?> dataset, String featuresCol) {
        StructField field = dataset.schema().apply(featuresCol);
        return AttributeGroup.fromStructField(field).size();
    }

    /** The classes the label column's metadata declares, or 0. */
    public static int declaredClasses(Dataset<?> dataset, String labelCol) {
        Attribute attribute = Attribute.fromStructField(dataset.schema().apply(labelCol));
        if (attribute instanceof NominalAttribute nominal && nominal.getNumValues().isDefined()) {
            return (Integer) nominal.getNumValues().get();
        }
        return 0;
    }
}
