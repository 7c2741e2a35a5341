package org.ffspark.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.ffspark.config.ConfigKey;
import org.ffspark.config.Settings;
import org.ffspark.config.TrainingConfigReader;
import org.ffspark.data.BlockSource;
import org.ffspark.data.DataBlock;
import org.ffspark.data.IdxFiles;
import org.ffspark.linalg.ProductThreads;
import org.ffspark.linalg.StepProfile;
import org.ffspark.model.FFNetwork;
import org.ffspark.optim.Optimizer;
import org.ffspark.partition.EpochSchedule;
import org.ffspark.partition.PartitionRound;
import org.ffspark.partition.ReplicaState;
import org.ffspark.train.TrainingConfig;

/**
 * The bench's profile of one configuration's training step: the steps a partition takes (on its own
 * share of the first images, in one process, on {@code threads} cores as {@code threads=N} gives a task),
 * each section of the step timed where it runs: every matrix product by its shapes and speed, the sparse
 * ones with their density, the passes between them, the optimizer. What is not in a section (drawing
 * the negatives, the neutral pass's own arithmetic, copying pixels) is the remainder.
 */
public final class StepProfiler {
    private StepProfiler() {
    }

    /**
     * What the profile found: the step's wall time (a round's own setup taken out), its sections, and
     * what setting up a round costs (copying the network and the optimizers' state in, checking it out).
     */
    public record Profile(double stepMillis, Map<String, StepProfile.Section> sections, int steps,
                          double roundSetupMillis) {
    }

    /**
     * Profiles {@code steps} steps of {@code conf} (after as many unmeasured, the JIT's warm-up), from
     * the network it starts with.
     */
    public static Profile run(String conf, int steps, int threads, Configuration hadoop) {
        Settings settings = Settings.parse(conf, List.of(), ConfigKey.TRAINING);
        TrainingConfig config = TrainingConfigReader.from(settings);
        int images = 2 * steps * config.batchSize();
        IdxFiles files = IdxFiles.inDirectory(config.data().directory(), hadoop);
        int count = IdxFiles.header(files.trainImages(), hadoop).count();
        DataBlock block = new BlockSource(files.trainImages(), files.trainLabels(), count, 0, config.seed(), 0,
                Math.min(images, count), 1).block(0, hadoop);
        FFNetwork network = config.initialNetwork(block.features(), 10);
        Optimizer[] optimizers = new Optimizer[network.blocks()];
        for (int b = 0; b < optimizers.length; b++) {
            optimizers[b] = Optimizer.create(config.optimizersAt(network, 1)[b], network.parameterCount(b));
        }
        int[] order = EpochSchedule.order(block.count(), config.seed(), 1);
        ProductThreads.use(threads);
        try {
            ReplicaState state = ReplicaState.of(network, optimizers);
            // Warm-up steps, then the measured ones, continuing from where the warm-up left the network.
            PartitionRound.Share warm = PartitionRound.run(state, plan(config, network, 0, steps), block, order);
            double[] setups = new double[5];
            for (int i = 0; i < setups.length; i++) {
                long t = System.nanoTime();
                PartitionRound.Share round = PartitionRound.run(warm.state(), plan(config, network, steps, 0), block,
                        order);
                setups[i] = (System.nanoTime() - t) / 1e6;
                round.state().handBack(); // as the driver of a local run does once it has read the copy
            }
            java.util.Arrays.sort(setups);
            double setup = setups[setups.length / 2];
            StepProfile.enable(true);
            long started = System.nanoTime();
            PartitionRound.run(warm.state(), plan(config, network, steps, steps), block, order);
            double millis = ((System.nanoTime() - started) / 1e6 - setup) / steps;
            return new Profile(millis, StepProfile.sections(), steps, setup);
        } finally {
            StepProfile.enable(false);
            ProductThreads.use(1);
        }
    }

    private static PartitionRound.Plan plan(TrainingConfig config, FFNetwork network, int first, int steps) {
        return new PartitionRound.Plan(1, first, steps, config.stepSettings(), config.optimizersAt(network, 1), false);
    }

    /** The profile as a table: sections by time, each with its share of the step. */
    public static void print(Profile p, PrintStream out) {
        out.println("section  calls/step  ms/step  share  GFLOP/s  nonzeros");
        List<Map.Entry<String, StepProfile.Section>> sorted = new ArrayList<>(p.sections().entrySet());
        sorted.sort((a, b) -> Long.compare(b.getValue().nanos(), a.getValue().nanos()));
        double accounted = 0;
        for (Map.Entry<String, StepProfile.Section> e : sorted) {
            StepProfile.Section s = e.getValue();
            double ms = s.nanos() / 1e6 / p.steps();
            accounted += ms;
            out.printf(Locale.ROOT, "%s  %.1f  %.2f  %.1f%%  %s  %s%n", e.getKey(), (double) s.calls() / p.steps(), ms,
                    100 * ms / p.stepMillis(), s.flops() == 0 ? "-" : String.format(Locale.ROOT, "%.1f",
                            s.flops() / (double) s.nanos()), Double.isNaN(s.density()) ? "-"
                            : String.format(Locale.ROOT, "%.1f%%", 100 * s.density()));
        }
        out.printf(Locale.ROOT, "the rest (loss sums, bookkeeping, threads' hand-offs)  -  %.2f  %.1f%%  -  -%n",
                p.stepMillis() - accounted, 100 * (p.stepMillis() - accounted) / p.stepMillis());
        out.printf(Locale.ROOT, "step  1  %.2f  100%%  -  -%n", p.stepMillis());
        out.printf(Locale.ROOT, "a round's setup, once per round (network and optimizer state in and out): %.1f ms%n",
                p.roundSetupMillis());
    }
}
