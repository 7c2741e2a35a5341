package org.ffspark.grid;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.ffspark.config.ConfigKey;
import org.ffspark.config.Settings;

/**
 * A parsed grid file: the base configuration, the settings every point shares, and the points.
 *
 * @param baseFile    the training config file the points start from (resolved against the grid file's
 *                    folder), or null for the defaults
 * @param shared      {@code key=value} settings of every point, over the base file
 * @param points      per point, the settings that make it what it is (in grid order)
 * @param parallelism how many points train at the same time
 * @param neuronBudget points with fewer hidden neurons than this are "within budget" (0: no budget)
 * @param out         the grid's output directory; each point writes to a folder inside it
 */
public record GridSpec(String source, String baseFile, List<String> shared, List<Map<String, String>> points,
                       int parallelism, int neuronBudget, String out) {
    public GridSpec {
        shared = List.copyOf(shared);
        points = List.copyOf(points);
    }

    /**
     * The settings of point {@code index} (1-based): base file, shared settings, the point's own, its
     * folder as out; what is there already is an unfinished attempt, continued from its checkpoint. The
     * base file's and the shared keys reach the points whose model they apply to (a backpropagation twin
     * beside FF points takes their data and sizes, not their learning rule); a point's own keys must apply.
     */
    public Settings settings(int index) {
        Map<String, String> varied = points.get(index - 1);
        List<String> arguments = new ArrayList<>(shared);
        varied.forEach((k, v) -> arguments.add(k + "=" + v));
        arguments.add("out=" + new Path(out, GridRunner.folderName(index, varied)));
        arguments.add("resume=true");
        arguments.add("overwrite=true");
        Settings settings = Settings.parse(baseFile, arguments, ConfigKey.TRAINING);
        String model = settings.text("model");
        List<String> notForIt = new ArrayList<>();
        for (ConfigKey key : ConfigKey.TRAINING) {
            if (!key.models().includes(model) && !varied.containsKey(key.name())) {
                notForIt.add(key.name());
            }
        }
        return settings.withDefaults(notForIt);
    }
}
