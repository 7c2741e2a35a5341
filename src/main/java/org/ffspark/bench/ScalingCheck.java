package org.ffspark.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ffspark.FfsparkException;
import org.ffspark.config.ConfigKey;
import org.ffspark.config.Settings;
import org.ffspark.config.TrainingConfigReader;
import org.ffspark.optim.OptimizerSettings;
import org.ffspark.report.RunSummary;
import org.ffspark.train.Sync;
import org.ffspark.train.TrainingConfig;

/**
 * {@code bench.sh scaling=DIR,...}: the scaling model ({@link ScalingModel}) fitted to finished runs and
 * set beside them. For each master the runs name, the one-executor runs give the job overhead and the
 * transfer speed (their overhead per job against the bytes a job moves) and, per configuration, one
 * core's computing; every run is then predicted from those and printed beside its measured epoch;
 * last, each configuration's epoch is projected on 1 to 64 executors of their own machines.
 *
 * <p>Executors that share one machine slow each other's computing (cores, memory bus), which
 * executors on machines of their own do not: a run of several executors here is predicted with the
 * slow-down its own computing showed against its one-executor run, printed beside it, so that what
 * the check tests is the part the model is for, rounds and transfers.
 */
public final class ScalingCheck {
    /** Settings that do not change an epoch's work. */
    private static final List<String> NOT_WORK = List.of("partitions", "threads", "out", "overwrite", "resume",
            "epochs", "evalEvery", "checkpointEvery", "data", "trainAccuracyImages", "seed");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ScalingCheck() {
    }

    /**
     * A finished run's epoch as the model sees it: medians over its epochs after the first (the JIT's
     * warm-up), or over all when it has one.
     */
    record Run(String dir, String master, int executors, TrainingConfig config, String work, long weights,
               int samples, double trainSeconds, double kernelSeconds, double overheadSeconds) {
    }

    public static void print(List<String> dirs, int projectedImages, Configuration hadoop, PrintStream out) {
        List<Run> runs = new ArrayList<>();
        for (String dir : dirs) {
            runs.add(read(dir, hadoop));
        }
        double addNanos = addNanos();
        out.printf(Locale.ROOT, "scaling model inputs measured here: t_add %.3f ns a float; t_opt sgd %.2f, adam %.2f "
                        + "ns a weight%n", addNanos, SgemmPeak.optimizerNanosPerWeight(OptimizerSettings.Kind.SGD),
                SgemmPeak.optimizerNanosPerWeight(OptimizerSettings.Kind.ADAM));
        Map<String, ScalingModel> models = new LinkedHashMap<>();
        for (String master : runs.stream().map(Run::master).distinct().toList()) {
            // Rounds that carry the optimizer's state cost more per byte than the weights alone
            // (docs/scaling.md): they are predicted, not fitted.
            List<Run> single = runs.stream().filter(r -> r.master().equals(master) && r.executors() == 1
                    && stateFloats(r.config()) == 1).toList();
            ScalingModel fitted = fit(single, addNanos);
            models.put(master, fitted);
            out.printf(Locale.ROOT, "%s: o %.1f ms a job, beta %.0f MB/s, from %d one-executor runs that move the "
                    + "weights alone%n", master, 1e3 * fitted.jobSeconds(), fitted.bytesPerSecond() / 1e6,
                    single.size());
        }
        out.println("| run | master | executors | sync | measured s | model s | error | computing (slow-down) "
                + "| transfers | driver |");
        out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (Run run : runs) {
            ScalingModel.Workload work = workload(run, calibration(runs, run), run.samples());
            ScalingModel fitted = models.get(run.master());
            double slower = run.kernelSeconds()
                    / fitted.epoch(run.config().sync(), work, run.executors()).computing();
            ScalingModel shared = fitted.withContention(run.executors() > 1 ? slower : 1);
            ScalingModel.Epoch predicted = shared.epoch(run.config().sync(), work, run.executors());
            out.printf(Locale.ROOT, "| %s | %s | %d | %s | %.2f | %.2f | %+.0f%% | %.2f (x%.2f) | %.2f | %.2f |%n",
                    new Path(run.dir()).getName(), run.master(), run.executors(), run.config().sync().text(),
                    run.trainSeconds(), predicted.seconds(), 100 * (predicted.seconds() / run.trainSeconds() - 1),
                    predicted.computing(), shared.contention(), predicted.transfers(), predicted.driver());
        }
        for (Map.Entry<String, ScalingModel> m : models.entrySet()) {
            for (Run one : runs.stream().filter(r -> r.master().equals(m.getKey()) && r.executors() == 1).toList()) {
                project(one, m.getValue(), projectedImages, out);
            }
        }
    }

    private static void project(Run one, ScalingModel model, int images, PrintStream out) {
        out.printf(Locale.ROOT, "projected on executors of their own machines (%s's o and beta), %s, sync %s, %d "
                        + "images an epoch:%n", one.master(), one.config().hidden(), one.config().sync().text(), images);
        out.println("| executors | rounds | epoch s | computing | transfers | driver | speed-up |");
        out.println("| --- | --- | --- | --- | --- | --- | --- |");
        ScalingModel.Workload w = workload(one, one, images);
        double first = model.epoch(one.config().sync(), w, 1).seconds();
        for (int n = 1; n <= 64; n *= 2) {
            ScalingModel.Epoch e = model.epoch(one.config().sync(), w, n);
            out.printf(Locale.ROOT, "| %d | %d | %.1f | %.1f | %.1f | %.1f | x%.1f |%n", n, e.rounds(), e.seconds(),
                    e.computing(), e.transfers(), e.driver(), first / e.seconds());
        }
    }

    /** The one-executor run of the same work and master, which calibrates a run's computing. */
    private static Run calibration(List<Run> runs, Run run) {
        return runs.stream().filter(r -> r.executors() == 1 && r.master().equals(run.master())
                        && r.work().equals(run.work())).findFirst()
                .orElseThrow(() -> new FfsparkException("scaling: " + run.dir() + " has no one-executor run of the "
                        + "same configuration on " + run.master() + " to be predicted from"));
    }

    /** A run's work, its computing taken from {@code one} and scaled to {@code images} an epoch. */
    private static ScalingModel.Workload workload(Run run, Run one, int images) {
        TrainingConfig c = run.config();
        return new ScalingModel.Workload(images, c.batchSize(), run.weights(), stateFloats(c),
                one.kernelSeconds() * images / one.samples(),
                SgemmPeak.optimizerNanosPerWeight(c.optimizer().kind()));
    }

    /**
     * {@code o} and {@code beta} by least squares from the one-executor runs' overhead per job against
     * the bytes a job moves (the broadcast and one result).
     */
    static ScalingModel fit(List<Run> single, double addNanos) {
        int n = single.size();
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (Run r : single) {
            double bytes = 2 * 4.0 * r.weights() * stateFloats(r.config());
            sx += bytes;
            sy += r.overheadSeconds();
            sxx += bytes * bytes;
            sxy += bytes * r.overheadSeconds();
        }
        double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        if (n < 2 || !(slope > 0)) {
            throw new FfsparkException("scaling: the one-executor runs of a master that move the weights alone "
                    + "(the exact rule, or local steps with innerState=reset) must move different amounts of data a "
                    + "job (for example the exact rule on a small network and local steps on a large one) to fit "
                    + "the job overhead and the transfer speed");
        }
        double intercept = (sy - slope * sx) / n;
        return new ScalingModel(Math.max(0, intercept), 1 / slope, addNanos, 1);
    }

    private static int stateFloats(TrainingConfig c) {
        if (c.sync().exact() || c.sync().resetInner()) {
            return 1;
        }
        return c.optimizer().kind() == OptimizerSettings.Kind.ADAM ? 3 : 2;
    }

    static Run read(String dir, Configuration hadoop) {
        JsonNode summary = json(dir, "summary.json", hadoop);
        List<String> arguments = new ArrayList<>();
        StringBuilder work = new StringBuilder();
        Map<String, ConfigKey> keys = ConfigKey.byName(ConfigKey.TRAINING);
        JsonNode stored = summary.get("config");
        String model = stored.path("model").asText("simple");
        boolean local = stored.path("sync").asText().startsWith("local");
        summary.get("config").fields().forEachRemaining(e -> {
            // A summary stores every key; given back as settings, only those that differ from today's
            // defaults and apply to the run's model and sync mode (the others would be refused as idle).
            ConfigKey key = keys.get(e.getKey());
            boolean applies = key != null && !e.getValue().asText().equals(key.defaultValue())
                    && key.models().includes(model) && (local || !ConfigKey.LOCAL_STEP_KEYS.contains(key.name()));
            if (applies) {
                arguments.add(e.getKey() + "=" + e.getValue().asText());
            }
            if (!NOT_WORK.contains(e.getKey())) {
                work.append(e.getKey()).append('=').append(e.getValue().asText()).append(' ');
            }
        });
        TrainingConfig config = TrainingConfigReader.from(Settings.parse(null, arguments, ConfigKey.TRAINING));
        List<JsonNode> epochs = new ArrayList<>();
        for (String line : text(dir, "metrics.jsonl", hadoop).split("\n")) {
            if (!line.isBlank()) {
                epochs.add(parse(line, dir));
            }
        }
        List<JsonNode> counted = epochs.size() > 1 ? epochs.subList(1, epochs.size()) : epochs;
        // local[1] and local[2] are one environment: this machine, one or two cores at work.
        String master = summary.get("master").asText().startsWith("local") ? "local" : summary.get("master").asText();
        return new Run(dir, master, summary.get("partitions").asInt(), config,
                work.toString(), summary.get("parameters").asLong(), summary.get("trainImages").asInt(),
                median(counted, "trainSeconds"), median(counted, "kernelSeconds"),
                median(counted, "overheadMsPerJob") / 1e3);
    }

    private static double median(List<JsonNode> epochs, String field) {
        return RunSummary.median(epochs.stream().mapToDouble(e -> e.get(field).asDouble()).toArray());
    }

    private static JsonNode json(String dir, String name, Configuration hadoop) {
        return parse(text(dir, name, hadoop), dir);
    }

    private static JsonNode parse(String text, String dir) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new FfsparkException("scaling: " + dir + " holds a damaged run (" + e.getMessage() + ")");
        }
    }

    private static String text(String dir, String name, Configuration hadoop) {
        Path path = new Path(dir, name);
        try {
            FileSystem fs = path.getFileSystem(hadoop);
            try (InputStream in = fs.open(path)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new FfsparkException("scaling: " + path + " cannot be read: " + FfsparkException.firstLine(e));
        }
    }

    /** {@code t_add}: adding one float of a copy, weighted, into an average (a 13.6-million-float pass). */
    static double addNanos() {
        float[] sum = new float[SgemmPeak.PAPER_WEIGHTS];
        float[] copy = new float[sum.length];
        Arrays.fill(copy, 0.5f);
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long started = System.nanoTime();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += 0.25f * copy[i];
            }
            best = Math.min(best, System.nanoTime() - started);
        }
        return (double) best / sum.length;
    }
}
