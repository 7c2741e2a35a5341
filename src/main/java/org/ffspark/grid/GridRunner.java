package org.ffspark.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.ffspark.FfsparkException;
import org.ffspark.cli.ConfigKey;
import org.ffspark.cli.Settings;
import org.ffspark.cli.TrainCommand;
import org.ffspark.cli.TrainingConfigs;
import org.ffspark.report.RunOutput;
import org.ffspark.train.TrainingConfig;

/**
 * Runs a grid inside one Spark application: each point is an ordinary training run, started from a
 * driver thread, {@code parallelism} at a time, in its own FAIR scheduler pool and job group (so the
 * Spark UI tells them apart and one can be cancelled alone). Points that read the same data share
 * one cached copy of it. A failing point is recorded with its error and the others go on; a point
 * whose folder already holds a summary from an earlier run of the grid is not trained again.
 */
public final class GridRunner {
    private final JavaSparkContext sc;
    private final PrintStream console;
    private final Map<DataKey, TrainCommand.PreparedData> data = new ConcurrentHashMap<>();
    private final Map<Integer, Boolean> cancelled = new ConcurrentHashMap<>();

    /** What makes two points' data the same. */
    private record DataKey(String data, List<String> files, int trainLimit, int testLimit, long seed,
                           int partitions, int trainAccuracyImages) {
        static DataKey of(TrainingConfig c) {
            return new DataKey(c.data(), c.dataFiles(), c.trainLimit(), c.testLimit(), c.seed(), c.partitions(),
                    c.trainAccuracyImages());
        }
    }

    public GridRunner(JavaSparkContext sc, PrintStream console) {
        this.sc = sc;
        this.console = console;
    }

    /**
     * Stops point {@code index} (1-based): its running job is cancelled and it starts no other, so it
     * ends as failed while the other points go on. Killing the point's running job in the Spark UI
     * has the same effect.
     */
    public void cancel(int index) {
        cancelled.put(index, true);
        sc.cancelJobGroup(jobGroup(index));
    }

    private static String jobGroup(int index) {
        return "ffspark-grid-point-" + index;
    }

    /** Runs every point, replacing any earlier results in the grid's folder (for benchmarks). */
    public List<GridPointResult> runFresh(GridSpec spec) {
        Path out = new Path(spec.out());
        try {
            FileSystem fs = out.getFileSystem(sc.hadoopConfiguration());
            fs.delete(out, true);
        } catch (IOException e) {
            throw new FfsparkException("cannot clear " + out + ": " + FfsparkException.firstLine(e), e);
        }
        return run(spec);
    }

    /** Runs every point (resuming finished ones) and writes the grid's results; returns the rows. */
    public List<GridPointResult> run(GridSpec spec) {
        int total = spec.points().size();
        console.printf(Locale.ROOT, "grid %s: %d points, %d at a time, out %s%n", spec.source(), total,
                spec.parallelism(), spec.out());
        ExecutorService pool = Executors.newFixedThreadPool(spec.parallelism(), r -> {
            Thread t = new Thread(r, "ffspark-grid");
            t.setDaemon(true);
            return t;
        });
        List<Future<GridPointResult>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < total; i++) {
                int index = i + 1;
                futures.add(pool.submit(() -> runPoint(spec, index)));
            }
            List<GridPointResult> results = new ArrayList<>();
            for (Future<GridPointResult> f : futures) {
                results.add(f.get());
            }
            GridReport.write(spec, results, new RunOutput(spec.out(), sc.hadoopConfiguration()), console);
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FfsparkException("grid interrupted");
        } catch (ExecutionException e) {
            throw new IllegalStateException("a grid point escaped its error handling", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private GridPointResult runPoint(GridSpec spec, int index) {
        Map<String, String> varied = spec.points().get(index - 1);
        String folder = folderName(index, varied);
        String pointOut = new Path(spec.out(), folder).toString();
        String tag = "grid " + index + "/" + spec.points().size();
        GridPointResult blank = new GridPointResult(index, varied, folder, "", List.of(), 0, Double.NaN,
                Double.NaN, Double.NaN, "failed", "");
        String label = tag + " " + blank.label() + ": ";

        GridPointResult finished = earlierResult(index, varied, folder, pointOut);
        if (finished != null) {
            console.println(label + "already finished in " + pointOut + ", skipped");
            return finished;
        }
        String group = jobGroup(index);
        sc.setLocalProperty("spark.scheduler.pool", group);
        sc.setJobGroup(group, tag + " " + blank.label(), true);
        try {
            List<String> arguments = new ArrayList<>(spec.shared());
            varied.forEach((k, v) -> arguments.add(k + "=" + v));
            arguments.add("out=" + pointOut);
            // What is there is an unfinished attempt of this point: continue it from its checkpoint.
            arguments.add("resume=true");
            arguments.add("overwrite=true");
            Settings settings = Settings.parse(spec.baseFile(), arguments, ConfigKey.TRAINING);
            TrainingConfig config = TrainingConfigs.from(settings);
            TrainCommand command = new TrainCommand(sc, console);
            TrainCommand.PreparedData prepared = data.computeIfAbsent(DataKey.of(config), k -> command.prepare(config));
            RunOutput output = new RunOutput(pointOut, sc.hadoopConfiguration());
            Map<String, Object> summary = command.train(settings, config, prepared, output, label,
                    () -> cancelled.getOrDefault(index, false));
            return row(index, varied, folder, summary, "done");
        } catch (Exception e) { // a cancelled job ends in Spark's SparkException, a checked one thrown undeclared
            FfsparkException problem = FfsparkException.findIn(e);
            String message = FfsparkException.firstLine(problem != null ? problem : e);
            console.println(label + "failed: " + message);
            return new GridPointResult(index, varied, folder, "", List.of(), 0, Double.NaN, Double.NaN, Double.NaN,
                    "failed", message);
        } finally {
            sc.clearJobGroup();
            sc.setLocalProperty("spark.scheduler.pool", null);
        }
    }

    private GridPointResult earlierResult(int index, Map<String, String> varied, String folder, String pointOut) {
        Path summary = new Path(pointOut, RunOutput.SUMMARY);
        Configuration hadoop = sc.hadoopConfiguration();
        try {
            FileSystem fs = summary.getFileSystem(hadoop);
            if (!fs.exists(summary)) {
                return null;
            }
            try (InputStream in = fs.open(summary)) {
                @SuppressWarnings("unchecked")
                Map<String, Object> map = new ObjectMapper().readValue(in, Map.class);
                return row(index, varied, folder, map, "resumed");
            }
        } catch (IOException | RuntimeException e) {
            return null; // unreadable: train the point again
        }
    }

    @SuppressWarnings("unchecked")
    private static GridPointResult row(int index, Map<String, String> varied, String folder,
                                       Map<String, Object> summary, String status) {
        JsonNode s = new ObjectMapper().valueToTree(summary);
        List<Integer> hidden = new ArrayList<>();
        s.get("hidden").forEach(h -> hidden.add(h.asInt()));
        return new GridPointResult(index, varied, folder, s.get("model").asText(), hidden,
                s.get("parameters").asLong(), s.get("testAccuracy").asDouble(), s.get("bestTestAccuracy").asDouble(),
                s.get("epochSeconds").asDouble(), status, "");
    }

    static String folderName(int index, Map<String, String> varied) {
        StringBuilder name = new StringBuilder(String.format(Locale.ROOT, "point-%02d", index));
        for (Map.Entry<String, String> e : varied.entrySet()) {
            name.append('-').append(e.getKey()).append('-').append(e.getValue());
        }
        return name.toString().replaceAll("[^A-Za-z0-9.\\-]+", "_");
    }
}
