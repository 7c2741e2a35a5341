package org.ffspark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.ffspark.data.DataBlock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Frames as the trainer's blocks: what each training step's tasks carry with them. */
class FrameBlocksTest {
    private static final int ROWS = 400;
    private static final int WIDTH = 784;

    /** {@link #ROWS} rows of {@link #WIDTH} values; row i's values are i / 1000 and its label i % 10. */
    private static Dataset<Row> localFrame(SparkSession spark) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            double[] x = new double[WIDTH];
            Arrays.fill(x, i / 1000.0);
            rows.add(RowFactory.create(Vectors.dense(x), (double) (i % 10)));
        }
        StructType schema = new StructType(new StructField[] {
            DataTypes.createStructField("features", new VectorUDT(), false),
            DataTypes.createStructField("label", DataTypes.DoubleType, false)});
        return spark.createDataFrame(rows, schema);
    }

    private static SparkSession spark() {
        return SparkSession.builder().sparkContext(LocalSpark.context().sc()).getOrCreate();
    }

    @Test
    void blocksOfALocalFrameNoLongerShipItsRowsWithEveryTask() {
        Dataset<Row> frame = localFrame(spark());
        assertTrue(FrameBlocks.carriesRows(frame.toJavaRDD()), "a frame made on the driver holds its rows in its "
                + "partitions (the case this guards against)");

        FrameBlocks.Blocks blocks = FrameBlocks.of(frame, "features", "label", 0);
        try {
            assertFalse(FrameBlocks.carriesRows(blocks.blocks()), "the cached blocks' tasks still carry the rows");
            assertEquals(ROWS, blocks.count());
            List<DataBlock> all = new ArrayList<>(blocks.blocks().collect());
            all.sort((a, b) -> Integer.compare(a.firstIndex(), b.firstIndex()));
            int seen = 0;
            for (DataBlock block : all) {
                assertEquals(seen, block.firstIndex(), "rows are numbered consecutively across blocks");
                for (int r = 0; r < block.count(); r++) {
                    int row = seen + r;
                    float[] values = new float[WIDTH];
                    block.copyScaled(r, values, 0);
                    float[] expected = new float[WIDTH];
                    Arrays.fill(expected, (float) (row / 1000.0));
                    assertArrayEquals(expected, values, "row " + row + " in the frame's order");
                    assertEquals(row % 10, block.label(r), "row " + row);
                }
                seen += block.count();
            }
            assertEquals(ROWS, seen);
        } finally {
            blocks.unpersist();
        }
    }

    @Test
    void blocksOfAStoredFrameKeepTheirLineage(@TempDir Path dir) {
        SparkSession spark = spark();
        String path = dir.resolve("frame.parquet").toString();
        localFrame(spark).write().parquet(path);
        Dataset<Row> stored = spark.read().parquet(path);
        assertFalse(FrameBlocks.carriesRows(stored.toJavaRDD()), "file splits are descriptions, not rows");

        FrameBlocks.Blocks blocks = FrameBlocks.of(stored, "features", "label", 0);
        try {
            assertEquals(ROWS, blocks.count());
            assertFalse(blocks.blocks().rdd().isLocallyCheckpointed(), "a stored frame's blocks can be read "
                    + "again from storage, so they keep their lineage");
        } finally {
            blocks.unpersist();
        }
    }
}
