package org.ffspark.ml;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.ffspark.model.FFKernels;
import org.ffspark.model.FFNetwork;
import org.ffspark.train.FrameColumns;

/**
 * A partition's rows scored a block at a time, each with the model's columns appended (raw scores,
 * probabilities, prediction, those the model names): one pass of the network per label over a block of
 * rows, as training and evaluation score, where MLlib's models score row by row.
 */
final class BlockScores implements Iterator<Row> {
    static final String RAW = "raw";
    static final String PROBABILITY = "probability";
    static final String PREDICTION = "prediction";
    private final Iterator<Row> rows;
    private final int block;
    private final FFNetwork network;
    private final int featuresAt;
    private final String column;
    private final double temperature;
    private final double[] thresholds;
    /** The columns to append, in order: {@link #RAW}, {@link #PROBABILITY}, {@link #PREDICTION}. */
    private final List<String> columns;
    private final List<Row> ready = new ArrayList<>();
    private int next;

    BlockScores(Iterator<Row> rows, FFNetwork network, int block, int featuresAt, String column, double temperature,
                double[] thresholds, List<String> columns) {
        this.rows = rows;
        this.block = block;
        this.network = network;
        this.featuresAt = featuresAt;
        this.column = column;
        this.temperature = temperature;
        this.thresholds = thresholds;
        this.columns = columns;
    }

    @Override
    public boolean hasNext() {
        if (next == ready.size() && rows.hasNext()) {
            scoreBlock();
        }
        return next < ready.size();
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return ready.get(next++);
    }

    private void scoreBlock() {
        List<Row> taken = new ArrayList<>(block);
        while (taken.size() < block && rows.hasNext()) {
            taken.add(rows.next());
        }
        int n = taken.size();
        int f = network.inputSize();
        int classes = network.classes();
        float[] values = new float[n * f];
        for (int i = 0; i < n; i++) {
            Row r = taken.get(i);
            double[] dense = FrameColumns.features(r.isNullAt(featuresAt) ? null : r.get(featuresAt), column, -1, f)
                    .toArray();
            for (int j = 0; j < f; j++) {
                values[i * f + j] = (float) dense[j];
            }
        }
        float[] scores = new float[n * classes];
        FFKernels.score(network, values, n, scores);
        ready.clear();
        next = 0;
        for (int i = 0; i < n; i++) {
            double[] rawScores = new double[classes];
            for (int c = 0; c < classes; c++) {
                rawScores[c] = scores[i * classes + c];
            }
            double[] p = softmax(rawScores, temperature);
            List<Object> out = new ArrayList<>(scala.jdk.javaapi.CollectionConverters
                    .asJava(taken.get(i).toSeq()));
            // The model's columns in the order the output schema appends them.
            for (String appended : columns) {
                out.add(switch (appended) {
                    case RAW -> Vectors.dense(rawScores);
                    case PROBABILITY -> Vectors.dense(p);
                    default -> (double) best(thresholds == null ? rawScores : scaled(p, thresholds));
                });
            }
            ready.add(RowFactory.create(out.toArray()));
        }
    }

    /** The label MLlib's thresholds pick: the largest probability divided by its class's threshold. */
    private static double[] scaled(double[] p, double[] thresholds) {
        double[] s = new double[p.length];
        for (int c = 0; c < p.length; c++) {
            s[c] = thresholds[c] == 0 ? Double.POSITIVE_INFINITY : p[c] / thresholds[c];
        }
        return s;
    }

    private static int best(double[] v) {
        int best = 0;
        for (int c = 1; c < v.length; c++) {
            if (v[c] > v[best]) {
                best = c;
            }
        }
        return best;
    }

    /** Softmax over the scores divided by the temperature, shifted by their maximum so nothing overflows. */
    static double[] softmax(double[] scores, double temperature) {
        double[] v = scores.clone();
        double max = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            max = Math.max(max, x / temperature);
        }
        double sum = 0;
        for (int c = 0; c < v.length; c++) {
            v[c] = Math.exp(v[c] / temperature - max);
            sum += v[c];
        }
        for (int c = 0; c < v.length; c++) {
            v[c] /= sum;
        }
        return v;
    }
}
