package org.ffspark.grid;

import java.io.PrintStream;
import java.util.Locale;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Runs the same grid twice in one application, one point at a time and then two at a time, and
 * prints both wall times and their ratio. The data are read and cached by a first, untimed pass,
 * so both timed runs start from the same warm state.
 */
public final class GridBenchmark {
    private GridBenchmark() {
    }

    public static void run(JavaSparkContext sc, GridSpec spec, PrintStream console) {
        GridRunner runner = new GridRunner(sc, console);
        double[] seconds = new double[3];
        int[] parallelism = {1, 1, 2};
        String[] folders = {"warm-up", "parallelism-1", "parallelism-2"};
        for (String folder : folders) {
            GridRunner.refuseForeign(new Path(spec.out(), folder).toString(), sc.hadoopConfiguration());
        }
        for (int i = 0; i < 3; i++) {
            GridSpec variant = new GridSpec(spec.source(), spec.baseFile(), spec.shared(),
                    i == 0 ? spec.points().subList(0, 1) : spec.points(), parallelism[i], spec.neuronBudget(),
                    new Path(spec.out(), folders[i]).toString());
            long started = System.nanoTime();
            runner.runFresh(variant);
            seconds[i] = (System.nanoTime() - started) / 1e9;
        }
        console.printf(Locale.ROOT, "grid %s, %d points, master %s:%n", spec.source(), spec.points().size(), sc.master());
        console.printf(Locale.ROOT, "  grid.parallelism=1: %.1f s%n", seconds[1]);
        console.printf(Locale.ROOT, "  grid.parallelism=2: %.1f s%n", seconds[2]);
        console.printf(Locale.ROOT, "  ratio (1 / 2): %.2f%n", seconds[1] / seconds[2]);
        console.printf(Locale.ROOT, "grid_parallelism_ratio=%.3f%n", seconds[1] / seconds[2]);
    }
}
