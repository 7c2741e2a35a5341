package org.ffspark.grid;

import java.util.List;
import java.util.Map;

/**
 * A parsed grid file: the base configuration, the settings every point shares, and the points.
 *
 * @param baseFile    the training config file the points start from, or null for the defaults
 * @param shared      {@code key=value} settings of every point, over the base file
 * @param points      per point, the settings that make it what it is (in grid order)
 * @param parallelism how many points train at the same time
 * @param neuronBudget points with fewer hidden neurons than this are "under budget" (0: no budget)
 * @param out         the grid's output directory; each point writes to a folder inside it
 */
public record GridSpec(String source, String baseFile, List<String> shared, List<Map<String, String>> points,
                       int parallelism, int neuronBudget, String out) {
    public GridSpec {
        shared = List.copyOf(shared);
        points = List.copyOf(points);
    }
}
