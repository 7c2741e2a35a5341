package org.ffspark.grid;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.ffspark.FfsparkException;
import org.ffspark.config.ConfigKey;
import org.ffspark.config.Settings;
import org.ffspark.config.TrainingConfigReader;

/**
 * Reads a grid file (a properties file) and expands it into points.
 *
 * <pre>
 *   # the training config the points start from, relative to this file's folder
 *   grid.base = mnist-notebook.properties
 *   # points trained at the same time
 *   grid.parallelism = 2
 *   # mark points with fewer hidden neurons than this (the notebook's budget: fewer than 26)
 *   grid.neuronBudget = 26
 *   # any training key: shared by every point
 *   epochs = 30
 *   # values of a key, separated by ';'; several keys make their cartesian product
 *   grid.hidden = 24; 12,12; 100
 * </pre>
 * or, instead of {@code grid.KEY} lists, an explicit list of points:
 * {@code grid.point.1 = hidden=24 lr=0.01}, {@code grid.point.2 = hidden=500,500}, ...
 * The product varies the first listed key slowest. Arguments {@code key=value} on the command line
 * override the file, for shared and grid keys alike. Every point's settings are checked when the file
 * is parsed, before Spark starts.
 */
public final class GridFile {
    private static final String PREFIX = "grid.";
    private static final String POINT = "grid.point.";

    private GridFile() {
    }

    public static GridSpec parse(String file, List<String> arguments, Set<String> trainingKeys) {
        Map<String, String> entries = new LinkedHashMap<>(readInFileOrder(file));
        // Paths in the file are relative to its folder, as in a training config file.
        java.nio.file.Path folder = Path.of(file).toAbsolutePath().getParent();
        for (Map.Entry<String, String> e : entries.entrySet()) {
            if (e.getKey().equals("out") || isPathKey(e.getKey())) {
                e.setValue(Settings.resolve(e.getValue(), folder));
            }
        }
        Map<String, String> origin = new LinkedHashMap<>();
        for (String argument : arguments) {
            int eq = argument.indexOf('=');
            if (eq <= 0) {
                throw new FfsparkException("expected key=value, got '" + argument + "'");
            }
            String key = argument.substring(0, eq).trim();
            entries.put(key, argument.substring(eq + 1).trim());
            origin.put(key, "the command line");
        }

        String base = null;
        int parallelism = 1;
        int budget = 0;
        List<String> shared = new ArrayList<>();
        Map<String, List<String>> axes = new LinkedHashMap<>();
        TreeMap<Integer, Map<String, String>> explicit = new TreeMap<>();
        for (Map.Entry<String, String> e : entries.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            Settings.refuseCredentials(key, value);
            if (key.equals("grid.base")) {
                base = value.isEmpty() ? null : resolveBase(file, value);
            } else if (key.equals("grid.parallelism")) {
                parallelism = whole(key, value, 1, 64);
            } else if (key.equals("grid.neuronBudget")) {
                budget = whole(key, value, 0, Integer.MAX_VALUE);
            } else if (key.startsWith(POINT)) {
                int n = whole(key, key.substring(POINT.length()), 1, 1_000_000);
                explicit.put(n, pointSettings(key, value, trainingKeys));
            } else if (key.startsWith(PREFIX)) {
                String trainingKey = key.substring(PREFIX.length());
                if (!trainingKeys.contains(trainingKey)) {
                    throw new FfsparkException("unknown grid key '" + key + "' in " + origin.getOrDefault(key, file)
                            + Settings.suggestion(key, knownKeys(trainingKeys)) + " (grid.base, grid.parallelism, "
                            + "grid.neuronBudget, grid.point.N, or grid.KEY for a training key; --keys lists them)");
                }
                List<String> values = new ArrayList<>();
                for (String v : value.split(";")) {
                    if (v.isBlank()) {
                        throw new FfsparkException(key + " has an empty value in '" + value
                                + "' (values are separated by ';')");
                    }
                    values.add(v.trim());
                }
                axes.put(trainingKey, values);
            } else if (trainingKeys.contains(key)) {
                shared.add(key + "=" + value);
            } else {
                throw new FfsparkException("unknown config key '" + key + "' in " + origin.getOrDefault(key, file)
                        + Settings.suggestion(key, knownKeys(trainingKeys)) + " (--keys lists them)");
            }
        }
        if (!explicit.isEmpty() && !axes.isEmpty()) {
            throw new FfsparkException(file + " mixes grid.point.N with grid.KEY lists; use one or the other");
        }
        List<Map<String, String>> points = explicit.isEmpty() ? product(axes) : new ArrayList<>(explicit.values());
        if (points.isEmpty()) {
            throw new FfsparkException("grid file " + file + " defines no points (add grid.KEY = v1; v2 "
                    + "or grid.point.1 = key=value ...)");
        }
        for (Map<String, String> point : points) {
            for (String setting : shared) {
                String key = setting.substring(0, setting.indexOf('='));
                if (point.containsKey(key)) {
                    throw new FfsparkException("'" + key + "' is both set for every point and varied by the grid in "
                            + file + "; drop one of them");
                }
            }
            if (point.containsKey("out")) {
                throw new FfsparkException("a grid cannot vary 'out': each point writes to its own folder in out");
            }
        }
        String out = entries.getOrDefault("out", "target/grid");
        GridSpec spec = new GridSpec(file, base, shared, points, parallelism, budget, out);
        for (int i = 1; i <= points.size(); i++) {
            try {
                TrainingConfigReader.from(spec.settings(i));
            } catch (FfsparkException e) {
                throw new FfsparkException("grid point " + i + " (" + points.get(i - 1) + "): " + e.getMessage(), e);
            }
        }
        return spec;
    }

    /** What a key of a grid file may be: a grid key of its own, grid.KEY for a training key, a training key. */
    private static List<String> knownKeys(Set<String> trainingKeys) {
        List<String> known = new ArrayList<>();
        for (ConfigKey k : ConfigKey.GRID) {
            if (!k.name().equals("grid.KEY") && !k.name().equals("grid.point.N")) {
                known.add(k.name());
            }
        }
        for (String key : trainingKeys) {
            known.add(key);
            known.add(PREFIX + key);
        }
        return known;
    }

    private static boolean isPathKey(String key) {
        ConfigKey k = ConfigKey.byName(ConfigKey.TRAINING).get(key);
        return k != null && k.path();
    }

    /** {@code grid.base} against the grid file's folder (unless absolute), which must exist. */
    private static String resolveBase(String gridFile, String base) {
        Path given = Path.of(base);
        Path resolved = given.isAbsolute() ? given : Path.of(gridFile).toAbsolutePath().getParent().resolve(given);
        if (!Files.isRegularFile(resolved)) {
            throw new FfsparkException("grid.base " + base + " of " + gridFile + " not found: " + resolved.normalize()
                    + " (grid.base is relative to the grid file's folder)");
        }
        return resolved.normalize().toString();
    }

    static List<Map<String, String>> product(Map<String, List<String>> axes) {
        List<Map<String, String>> points = new ArrayList<>();
        if (axes.isEmpty()) {
            return points;
        }
        points.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<String>> axis : axes.entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> partial : points) {
                for (String value : axis.getValue()) {
                    Map<String, String> point = new LinkedHashMap<>(partial);
                    point.put(axis.getKey(), value);
                    next.add(point);
                }
            }
            points = next;
        }
        return points;
    }

    private static Map<String, String> pointSettings(String key, String value, Set<String> trainingKeys) {
        Map<String, String> point = new LinkedHashMap<>();
        for (String part : value.trim().split("\\s+")) {
            int eq = part.indexOf('=');
            if (eq <= 0 || !trainingKeys.contains(part.substring(0, eq))) {
                throw new FfsparkException(key + ": '" + part + "' is not key=value with a training key");
            }
            point.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return point;
    }

    private static int whole(String key, String value, int min, int max) {
        try {
            int v = Integer.parseInt(value.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new FfsparkException(key + " must be a whole number from " + min + " to " + max + ", got '" + value + "'"
                + Settings.commentHint(value));
    }

    /** The file's entries in the order written, which is the order of the grid's axes. */
    private static Map<String, String> readInFileOrder(String file) {
        Map<String, String> ordered = new LinkedHashMap<>();
        Properties properties = new Properties() {
            @Override
            public synchronized Object put(Object key, Object value) {
                ordered.put(key.toString(), value.toString().trim());
                return super.put(key, value);
            }
        };
        try (Reader reader = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new FfsparkException("grid file not found: " + file);
        } catch (IOException | IllegalArgumentException e) {
            throw new FfsparkException("grid file " + file + " cannot be read: " + e.getMessage());
        }
        return ordered;
    }
}
