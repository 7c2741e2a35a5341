package org.ffspark.grid;

import com.fasterxml.jackson.databind.DeserializationFeature;
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
import org.ffspark.config.ConfigKey;
import org.ffspark.config.Settings;
import org.ffspark.config.TrainingConfigReader;
import org.ffspark.report.RunSummary;
import org.ffspark.run.PreparedData;
import org.ffspark.run.TrainingRun;
import org.ffspark.store.RunOutput;
import org.ffspark.train.TrainingConfig;

/**
 * Runs a grid inside one Spark application: each point is an ordinary training run, started from a
 * driver thread, {@code parallelism} at a time, in its own FAIR scheduler pool and job group (so the
 * Spark UI tells them apart and one can be cancelled alone). Points that read the same data share
 * one cached copy of it. A failing point is recorded with its error and the others go on; a point
 * whose folder already holds a summary from an earlier run of the grid with the same settings is not
 * trained again ({@link #checkEarlierResults} refuses one finished under other settings).
 */
public final class GridRunner {
    private final JavaSparkContext sc;
    private final PrintStream console;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final Map<DataKey, PreparedData> data = new ConcurrentHashMap<>();
    private final Map<Integer, Boolean> cancelled = new ConcurrentHashMap<>();

    /** What makes two points' data the same. */
    private record DataKey(String data, List<String> files, int trainLimit, int testLimit, long seed,
                           int partitions, int trainAccuracyImages) {
        static DataKey of(TrainingConfig c) {
            TrainingConfig.DataSelection d = c.data();
            return new DataKey(d.directory(), d.files(), d.trainLimit(), d.testLimit(), c.seed(), d.partitions(),
                    d.trainAccuracyImages());
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

    /**
     * Runs every point, replacing any earlier results in the grid's folder (for benchmarks). Only a
     * folder a grid wrote is cleared: one holding anything else is refused, untouched.
     */
    public List<GridPointResult> runFresh(GridSpec spec) {
        Path out = new Path(spec.out());
        refuseForeign(spec.out(), sc.hadoopConfiguration());
        try {
            out.getFileSystem(sc.hadoopConfiguration()).delete(out, true);
        } catch (IOException e) {
            throw new FfsparkException("cannot clear " + out + ": " + FfsparkException.firstLine(e), e);
        }
        return run(spec);
    }

    /** Refuses an {@code out} that holds anything a grid does not write (a check that changes nothing). */
    public static void refuseForeign(String out, org.apache.hadoop.conf.Configuration hadoop) {
        Path folder = new Path(out);
        try {
            FileSystem fs = folder.getFileSystem(hadoop);
            String foreign = fs.exists(folder) ? notOfAGrid(fs, folder) : null;
            if (foreign != null) {
                throw new FfsparkException(folder + " is not a folder a grid wrote (it holds " + foreign
                        + "); choose another out");
            }
        } catch (IOException e) {
            throw new FfsparkException("cannot read " + folder + ": " + FfsparkException.firstLine(e), e);
        }
    }

    /** The first entry of {@code folder} that a grid does not write, or null if there is none. */
    static String notOfAGrid(FileSystem fs, Path folder) throws IOException {
        if (!fs.getFileStatus(folder).isDirectory()) {
            return "no folder but a file";
        }
        for (org.apache.hadoop.fs.FileStatus entry : fs.listStatus(folder)) {
            String name = entry.getPath().getName();
            boolean ours = entry.isDirectory() ? name.matches("point-\\d{2,}(-.*)?")
                    : List.of(GridReport.CSV, GridReport.MARKDOWN, GridReport.PLOT).contains(name)
                    || name.startsWith("." + GridReport.CSV) || name.startsWith("." + GridReport.MARKDOWN)
                    || name.startsWith("." + GridReport.PLOT);
            if (!ours) {
                return name;
            }
        }
        return null;
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
            // The points' shared data, once no point can use it any more.
            if (futures.stream().allMatch(Future::isDone)) {
                data.values().forEach(d -> d.blocks().release());
                data.clear();
            }
        }
    }

    /**
     * Refuses a grid whose out holds a point finished under other settings than the grid now gives it
     * (a per-point fingerprint: the keys that change what is trained, and epochs), unless the grid sets
     * overwrite=true; run before Spark starts.
     */
    public static void checkEarlierResults(GridSpec spec, Configuration hadoop) {
        if (overwrites(spec)) {
            return;
        }
        for (int index = 1; index <= spec.points().size(); index++) {
            Settings settings = spec.settings(index);
            RunSummary earlier = earlierSummary(pointOut(spec, index), hadoop);
            if (earlier == null) {
                continue;
            }
            for (String key : comparedKeys()) {
                String before = earlier.config() == null ? null : earlier.config().get(key);
                String now = settings.text(key);
                if (before == null ? !settings.isDefaultValue(key) : !before.equals(now)) {
                    throw new FfsparkException("grid point " + index + " in " + pointOut(spec, index)
                            + " was finished with " + key + "=" + (before == null ? "(unset)" : before)
                            + ", the grid now gives it " + key + "=" + now
                            + "; choose another out, or set overwrite=true to train every point again");
                }
            }
        }
    }

    /** The keys a finished point must share with the grid to be reused. */
    private static List<String> comparedKeys() {
        List<String> keys = new ArrayList<>();
        for (ConfigKey k : ConfigKey.TRAINING) {
            if (k.effect() == ConfigKey.Effect.TRAJECTORY || k.name().equals("epochs")) {
                keys.add(k.name());
            }
        }
        return keys;
    }

    private static boolean overwrites(GridSpec spec) {
        return spec.shared().stream().anyMatch(s -> s.replace(" ", "").equalsIgnoreCase("overwrite=true"));
    }

    private static String pointOut(GridSpec spec, int index) {
        return new Path(spec.out(), folderName(index, spec.points().get(index - 1))).toString();
    }

    private GridPointResult runPoint(GridSpec spec, int index) {
        Map<String, String> varied = spec.points().get(index - 1);
        String folder = folderName(index, varied);
        String pointOut = pointOut(spec, index);
        String tag = "grid " + index + "/" + spec.points().size();
        GridPointResult blank = GridPointResult.failed(index, varied, folder, "");
        String label = tag + " " + blank.label() + ": ";

        RunSummary finished = overwrites(spec) ? null : earlierSummary(pointOut, sc.hadoopConfiguration());
        if (finished != null) {
            console.println(label + "already finished in " + pointOut + " with the same settings, reused");
            return GridPointResult.of(index, varied, folder, finished, "reused");
        }
        String group = jobGroup(index);
        sc.setLocalProperty("spark.scheduler.pool", group);
        sc.setJobGroup(group, tag + " " + blank.label(), true);
        try {
            Settings settings = spec.settings(index);
            TrainingConfig config = TrainingConfigReader.from(settings);
            TrainingRun run = new TrainingRun(sc, console);
            PreparedData prepared = data.computeIfAbsent(DataKey.of(config), k -> run.prepare(config));
            RunOutput output = new RunOutput(pointOut, sc.hadoopConfiguration());
            RunSummary summary = run.train(settings, config, prepared, output, label,
                    () -> cancelled.getOrDefault(index, false));
            return GridPointResult.of(index, varied, folder, summary, "done");
        } catch (Exception e) { // a cancelled job ends in Spark's SparkException, a checked one thrown undeclared
            FfsparkException problem = FfsparkException.findIn(e);
            String message = FfsparkException.firstLine(problem != null ? problem : e);
            console.println(label + "failed: " + message);
            return GridPointResult.failed(index, varied, folder, message);
        } finally {
            sc.clearJobGroup();
            sc.setLocalProperty("spark.scheduler.pool", null);
        }
    }

    /** The summary of a point finished by an earlier run of the grid, or null (none, or unreadable). */
    private static RunSummary earlierSummary(String pointOut, Configuration hadoop) {
        Path summary = new Path(pointOut, RunOutput.SUMMARY);
        try {
            FileSystem fs = summary.getFileSystem(hadoop);
            if (!fs.exists(summary) || !fs.exists(new Path(pointOut, RunOutput.SUCCESS))) {
                return null;
            }
            try (InputStream in = fs.open(summary)) {
                return JSON.readValue(in, RunSummary.class);
            }
        } catch (IOException | RuntimeException e) {
            return null; // unreadable: train the point again
        }
    }

    static String folderName(int index, Map<String, String> varied) {
        StringBuilder name = new StringBuilder(String.format(Locale.ROOT, "point-%02d", index));
        for (Map.Entry<String, String> e : varied.entrySet()) {
            name.append('-').append(e.getKey()).append('-').append(e.getValue());
        }
        return name.toString().replaceAll("[^A-Za-z0-9.\\-]+", "_");
    }
}
