package org.ffspark.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import org.ffspark.FfsparkException;
import org.ffspark.data.StorageProblem;

/** Prediction rows written by the tasks that score them: one CSV file, or a Parquet dataset. */
final class PredictionFiles {
    private PredictionFiles() {
    }

    /**
     * One CSV file: each task writes its rows as a part file beside the target (a retried task writes its
     * part again, whole), then the parts are joined in order into a file renamed into place.
     */
    static void writeCsv(JavaSparkContext sc, JavaRDD<Row> rows, int classes, boolean labelled, String out) {
        Configuration hadoop = sc.hadoopConfiguration();
        List<String> header = new ArrayList<>(List.of("image", "prediction"));
        if (labelled) {
            header.add("label");
        }
        for (int c = 0; c < classes; c++) {
            header.add("goodness_" + c);
        }
        Path target = new Path(out);
        Path parts = new Path(target.getParent(), "." + target.getName() + ".parts-" + UUID.randomUUID());
        Broadcast<SerializableConfiguration> conf = sc.broadcast(new SerializableConfiguration(
                new Configuration(hadoop)));
        String folder = parts.toString();
        try {
            rows.foreachPartition(it -> {
                Path part = new Path(folder, String.format(Locale.ROOT, "part-%05d", TaskContext.getPartitionId()));
                FileSystem fs = part.getFileSystem(conf.value().value());
                try (Writer writer = new OutputStreamWriter(fs.create(part, true), StandardCharsets.UTF_8);
                     CSVPrinter csv = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setRecordSeparator('\n')
                             .get())) {
                    while (it.hasNext()) {
                        Row r = it.next();
                        List<Object> values = new ArrayList<>(List.of(r.getString(0), r.getInt(1)));
                        if (labelled) {
                            values.add(r.getInt(2));
                        }
                        // ScoredImages puts the goodness in as a Java array (a DataFrame would make it a Seq)
                        values.addAll(List.of((Float[]) r.get(labelled ? 3 : 2)));
                        csv.printRecord(values);
                    }
                }
            });
            conf.destroy(); // every task has ended; after a failure Spark's cleaner frees it
            FileSystem fs = target.getFileSystem(hadoop);
            Path joined = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
            try (OutputStream o = fs.create(joined, true)) {
                o.write((String.join(",", header) + "\n").getBytes(StandardCharsets.UTF_8));
                FileStatus[] written = fs.listStatus(parts, p -> p.getName().startsWith("part-"));
                java.util.Arrays.sort(written, (a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
                for (FileStatus part : written) {
                    try (InputStream in = fs.open(part.getPath())) {
                        in.transferTo(o);
                    }
                }
            }
            if (fs.exists(target)) {
                fs.delete(target, true);
            }
            if (!fs.rename(joined, target)) {
                throw new IOException("rename of " + joined + " failed");
            }
        } catch (IOException e) {
            throw new FfsparkException("cannot write " + out + ": " + StorageProblem.describe(e), e);
        } finally {
            try {
                parts.getFileSystem(hadoop).delete(parts, true);
            } catch (IOException ignored) {
                // a leftover hidden folder beside the output is all this can cost
            }
        }
    }

    /** Written by the tasks beside the target first and renamed into place, so OUT is complete or absent. */
    static void writeParquet(JavaSparkContext sc, JavaRDD<Row> rows, boolean labelled, String out) {
        Configuration hadoop = sc.hadoopConfiguration();
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("image", DataTypes.StringType, false));
        fields.add(DataTypes.createStructField("prediction", DataTypes.IntegerType, false));
        if (labelled) {
            fields.add(DataTypes.createStructField("label", DataTypes.IntegerType, false));
        }
        fields.add(DataTypes.createStructField("goodness", DataTypes.createArrayType(DataTypes.FloatType, false),
                false));
        SparkSession spark = SparkSession.builder().sparkContext(sc.sc()).getOrCreate();
        Path target = new Path(out);
        Path temporary = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
        try {
            FileSystem fs = target.getFileSystem(hadoop);
            spark.createDataFrame(rows, new StructType(fields.toArray(new StructField[0]))).write()
                    .parquet(temporary.toString());
            if (fs.exists(target)) {
                fs.delete(target, true);
            }
            if (!fs.rename(temporary, target)) {
                throw new IOException("rename of " + temporary + " failed");
            }
        } catch (IOException e) {
            throw new FfsparkException("cannot write " + out + ": " + StorageProblem.describe(e), e);
        }
    }
}
