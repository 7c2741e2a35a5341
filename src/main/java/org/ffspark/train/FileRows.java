package org.ffspark.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.api.java.JavaNewHadoopRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.ffspark.FfsparkException;
import org.ffspark.data.LibsvmLine;

/**
 * The rows of a dataset in files (LIBSVM text, Parquet), each known by its file and its place in that
 * file, so that the same files give the same rows in the same order however Spark splits them among
 * cores and executors. Problems are carried as data, not thrown inside tasks: the driver reports the
 * first one in file order in one line (file, line or row, what is wrong), without Spark's task logs.
 */
public final class FileRows {
    private FileRows() {
    }

    /**
     * A row, or what is wrong with it ({@code problem} not null).
     *
     * @param rowInFile the row's number in its file, from 0 (LIBSVM: counting examples, not blank lines)
     */
    public record Row(String file, long rowInFile, double label, Vector features, String problem)
            implements Serializable {
    }

    /** A LIBSVM line as read: where it is within its split, and what it holds or what is wrong with it. */
    private record Line(String file, long split, int lineInSplit, int rowInSplit, LibsvmLine example,
                        String problem) implements Serializable {
    }

    /** What a split of a LIBSVM file holds: its lines, its examples and the widest of them. */
    private record SplitShape(String file, long split, int lines, int rows, int width) implements Serializable {
    }

    /**
     * A LIBSVM file (or a folder of them) as rows {@code width} features wide; {@code width} 0 takes the
     * largest index found. A malformed line stops here, named by file and line number.
     */
    public static JavaRDD<Row> libsvm(JavaSparkContext sc, String path, int width) {
        @SuppressWarnings("unchecked")
        JavaNewHadoopRDD<LongWritable, Text> text = (JavaNewHadoopRDD<LongWritable, Text>) sc.newAPIHadoopFile(path,
                TextInputFormat.class, LongWritable.class, Text.class, new Configuration(sc.hadoopConfiguration()));
        JavaRDD<Line> lines = text.mapPartitionsWithInputSplit((split, it) -> parse((FileSplit) split, it), true);
        lines.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            List<SplitShape> shapes = lines.mapPartitions(FileRows::shape).collect();
            // Lines and examples before each split of a file: splits in the order of their start.
            Map<String, Long> linesBefore = new TreeMap<>();
            Map<String, Long> rowsBefore = new TreeMap<>();
            Map<String, long[]> perFile = new TreeMap<>();
            List<SplitShape> ordered = new ArrayList<>(shapes);
            ordered.sort((a, b) -> a.file().equals(b.file()) ? Long.compare(a.split(), b.split())
                    : a.file().compareTo(b.file()));
            int widest = 0;
            for (SplitShape s : ordered) {
                long[] sums = perFile.computeIfAbsent(s.file(), f -> new long[2]);
                linesBefore.put(key(s.file(), s.split()), sums[0]);
                rowsBefore.put(key(s.file(), s.split()), sums[1]);
                sums[0] += s.lines();
                sums[1] += s.rows();
                widest = Math.max(widest, s.width());
            }
            List<Line> problems = lines.filter(l -> l.problem() != null).collect();
            if (!problems.isEmpty()) {
                Line first = problems.stream().min((a, b) -> a.file().equals(b.file())
                        ? Long.compare(linesBefore.get(key(a.file(), a.split())) + a.lineInSplit(),
                        linesBefore.get(key(b.file(), b.split())) + b.lineInSplit())
                        : a.file().compareTo(b.file())).orElseThrow();
                throw new FfsparkException(String.format(Locale.ROOT, "%s line %d: %s", first.file(),
                        linesBefore.get(key(first.file(), first.split())) + first.lineInSplit() + 1, first.problem()));
            }
            if (width > 0 && widest > width) {
                throw new FfsparkException(path + " has features up to index " + widest + ", the training set "
                        + width);
            }
            int columns = width > 0 ? width : widest;
            Broadcast<Map<String, Long>> offsets = sc.broadcast(rowsBefore);
            JavaRDD<Row> rows = lines.filter(l -> l.example() != null).map(l -> new Row(l.file(),
                    offsets.value().get(key(l.file(), l.split())) + l.rowInSplit(), l.example().label(),
                    Vectors.sparse(columns, l.example().indices(), l.example().values()), null));
            rows.persist(StorageLevel.MEMORY_AND_DISK()).count(); // cached before the parsed lines go
            return rows;
        } finally {
            lines.unpersist(false);
        }
    }

    private static String key(String file, long split) {
        return split + "@" + file;
    }

    private static Iterator<Line> parse(FileSplit split, Iterator<scala.Tuple2<LongWritable, Text>> records) {
        String file = split.getPath().toString();
        long start = split.getStart();
        return new Iterator<>() {
            private int line;
            private int row;

            @Override
            public boolean hasNext() {
                return records.hasNext();
            }

            @Override
            public Line next() {
                String text = records.next()._2().toString(); // the reader reuses its Text
                int at = line++;
                try {
                    LibsvmLine example = LibsvmLine.parse(text);
                    if (example != null) {
                        FrameColumns.label(example.label(), "label", -1); // a class index 0, 1, 2, ...
                    }
                    return new Line(file, start, at, example == null ? -1 : row++, example, null);
                } catch (FfsparkException e) {
                    return new Line(file, start, at, -1, null, "the label " + text.trim().split("\\s+")[0]
                            + " is not a class index 0, 1, 2, ...");
                } catch (IllegalArgumentException e) {
                    return new Line(file, start, at, -1, null, e.getMessage());
                }
            }
        };
    }

    private static Iterator<SplitShape> shape(Iterator<Line> lines) {
        String file = null;
        long split = 0;
        int count = 0;
        int rows = 0;
        int width = 0;
        while (lines.hasNext()) {
            Line l = lines.next();
            file = l.file();
            split = l.split();
            count++;
            if (l.example() != null) {
                rows++;
                width = Math.max(width, l.example().width());
            }
        }
        return file == null ? List.<SplitShape>of().iterator()
                : List.of(new SplitShape(file, split, count, rows, width)).iterator();
    }

    /**
     * A Parquet dataset's two columns as rows, each with its file and row number there (Spark's
     * {@code _metadata} columns); a null, a vector of another width or a value that is not a finite number
     * is carried as the row's problem.
     */
    public static JavaRDD<Row> parquet(SparkSession spark, String path, String featuresCol, String labelCol) {
        Dataset<org.apache.spark.sql.Row> frame = spark.read().parquet(path);
        FrameColumns.checkColumns(frame, featuresCol, labelCol);
        int declared = FrameColumns.declaredSize(frame, featuresCol);
        return frame.select(functions.col(featuresCol), functions.col(labelCol),
                        functions.col("_metadata.file_path"), functions.col("_metadata.row_index"))
                .toJavaRDD().map(r -> {
                    String file = r.getString(2);
                    long row = r.getLong(3);
                    try {
                        Vector v = FrameColumns.features(r.isNullAt(0) ? null : r.get(0), featuresCol, row, declared);
                        double label = FrameColumns.label(r.isNullAt(1) ? null : ((Number) r.get(1)).doubleValue(),
                                labelCol, row);
                        return new Row(file, row, label, v, null);
                    } catch (FfsparkException e) {
                        return new Row(file, row, 0, null, e.getMessage());
                    }
                });
    }
}
