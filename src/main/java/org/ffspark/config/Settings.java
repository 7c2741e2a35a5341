package org.ffspark.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.ffspark.FfsparkException;

/**
 * Key/value settings from a properties file and {@code key=value} arguments (arguments win), checked
 * against the known keys, with typed accessors whose errors name the key and the allowed values.
 */
public final class Settings {
    private final Map<String, String> values;
    private final Map<String, String> origin;
    private final Map<String, String> defaults;
    /** The names problems are reported under, where not the keys' own (Spark ML's Params). */
    private final Map<String, String> displayNames;

    private Settings(Map<String, String> values, Map<String, String> origin, Map<String, String> defaults,
                     Map<String, String> displayNames) {
        this.values = values;
        this.origin = origin;
        this.defaults = defaults;
        this.displayNames = displayNames;
    }

    /**
     * Settings given as Spark ML Params: {@code values} by key; problems are reported under the Param's
     * name ({@code paramNames}, by key) and without a "(from ...)".
     */
    public static Settings ofParams(Map<String, String> values, Map<String, String> paramNames) {
        return ofParams(values, paramNames, java.util.Set.of());
    }

    /** As {@link #ofParams(Map, Map)}, with {@code set} naming the keys whose Params were set explicitly. */
    public static Settings ofParams(Map<String, String> values, Map<String, String> paramNames,
                                    java.util.Set<String> set) {
        Map<String, String> all = new LinkedHashMap<>();
        Map<String, String> origin = new LinkedHashMap<>();
        for (ConfigKey key : ConfigKey.TRAINING) {
            all.put(key.name(), key.defaultValue());
            origin.put(key.name(), set.contains(key.name()) ? "the estimator's Params" : "default");
        }
        Map<String, String> defaults = Map.copyOf(all);
        values.forEach((key, value) -> refuseCredentials(paramNames.getOrDefault(key, key), value));
        all.putAll(values);
        return new Settings(all, origin, defaults, Map.copyOf(paramNames));
    }

    public static Settings parse(String file, List<String> arguments, List<ConfigKey> known) {
        Map<String, ConfigKey> keys = ConfigKey.byName(known);
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> origin = new LinkedHashMap<>();
        // One rule for relative paths: from the folder they are written in. A config file's are taken from
        // its folder; the command line's and the defaults from the working folder.
        Path workingFolder = Path.of("").toAbsolutePath();
        for (ConfigKey key : known) {
            values.put(key.name(), key.path() ? resolve(key.defaultValue(), workingFolder) : key.defaultValue());
            origin.put(key.name(), "default");
        }
        Map<String, String> defaults = Map.copyOf(values);
        if (file != null) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (NoSuchFileException e) {
                throw new FfsparkException("config file not found: " + file);
            } catch (IOException | IllegalArgumentException e) {
                throw new FfsparkException("config file " + file + " cannot be read: " + e.getMessage());
            }
            Path folder = Path.of(file).toAbsolutePath().getParent();
            for (String name : new java.util.TreeSet<>(properties.stringPropertyNames())) {
                String value = properties.getProperty(name).trim();
                ConfigKey key = keys.get(name);
                put(keys, values, origin, name, key != null && key.path() ? resolve(value, folder) : value, file);
            }
        }
        for (String argument : arguments) {
            int eq = argument.indexOf('=');
            if (eq <= 0) {
                throw new FfsparkException("expected key=value, got '" + argument + "'");
            }
            String name = argument.substring(0, eq).trim();
            String value = argument.substring(eq + 1).trim();
            ConfigKey key = keys.get(name);
            put(keys, values, origin, name, key != null && key.path() ? resolve(value, workingFolder) : value,
                    "the command line");
        }
        return new Settings(values, origin, defaults, Map.of());
    }

    /**
     * {@code value} against {@code folder} when it is a relative local path (no scheme such as
     * {@code hdfs:} or {@code s3a:}); otherwise as it is.
     */
    public static String resolve(String value, Path folder) {
        if (folder == null || value.isEmpty()) {
            return value;
        }
        try {
            if (new java.net.URI(value).getScheme() != null || Path.of(value).isAbsolute()) {
                return value;
            }
        } catch (java.net.URISyntaxException | java.nio.file.InvalidPathException e) {
            return value;
        }
        return folder.resolve(value).normalize().toString();
    }

    /**
     * Refuses a URI with credentials in it ({@code s3a://key:secret@bucket/...}): settings are copied into
     * summaries, model files and logs, where a secret must never land. The message shows the URI without
     * them and says where credentials go.
     */
    public static void refuseCredentials(String what, String value) {
        int scheme = value.indexOf("://");
        if (scheme < 0) {
            return;
        }
        int authorityEnd = value.indexOf('/', scheme + 3);
        String authority = value.substring(scheme + 3, authorityEnd < 0 ? value.length() : authorityEnd);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String shown = value.substring(0, scheme + 3) + value.substring(scheme + 3 + at + 1);
            throw new FfsparkException(what + " " + shown + " is given with credentials in it, which are refused: "
                    + "they would be copied into the run's files and logs; give them to Hadoop instead (the "
                    + "environment, or a credential store: conf/s3a.properties, docs/deployment.md)");
        }
    }

    private static void put(Map<String, ConfigKey> keys, Map<String, String> values,
                            Map<String, String> origin, String name, String value, String where) {
        if (!keys.containsKey(name)) {
            throw new FfsparkException("unknown config key '" + name + "' in " + where
                    + suggestion(name, keys.keySet()) + " (--keys lists them)");
        }
        refuseCredentials(name, value);
        values.put(name, value);
        origin.put(name, where);
    }

    /** "; did you mean 'KEY'?" for the known key nearest to {@code name} (two edits at most), or "". */
    public static String suggestion(String name, Iterable<String> known) {
        LevenshteinDistance distance = new LevenshteinDistance(2);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance.apply(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (d >= 0 && d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best == null ? "" : "; did you mean '" + best + "'?";
    }

    /** The resolved settings, in key order, for summaries and provenance. */
    public Map<String, String> asMap() {
        return Collections.unmodifiableMap(values);
    }

    public String text(String key) {
        return values.get(key);
    }

    /** Whether {@code key} was given (in a file, on the command line, as a set Param), not left to its default. */
    public boolean given(String key) {
        return !"default".equals(origin.getOrDefault(key, "default"));
    }

    /** These settings with {@code keys} back at their defaults, as if never given. */
    public Settings withDefaults(java.util.Collection<String> keys) {
        Map<String, String> v = new LinkedHashMap<>(values);
        Map<String, String> o = new LinkedHashMap<>(origin);
        for (String key : keys) {
            v.put(key, defaults.get(key));
            o.put(key, "default");
        }
        return new Settings(v, o, defaults, displayNames);
    }

    /** Whether {@code key} holds its default value (however it was given). */
    public boolean isDefaultValue(String key) {
        return values.get(key).equals(defaults.get(key));
    }

    public String required(String key) {
        String v = values.get(key);
        if (v == null || v.isEmpty()) {
            throw invalid(key, "needs a value");
        }
        return v;
    }

    public int integer(String key, int min, int max) {
        String v = values.get(key);
        try {
            int i = Integer.parseInt(v);
            if (i < min || i > max) {
                throw invalid(key, "must be a whole number from " + min + " to " + max + ", got " + v);
            }
            return i;
        } catch (NumberFormatException e) {
            throw invalid(key, "must be a whole number from " + min + " to " + max + ", got '" + v + "'");
        }
    }

    public long longValue(String key) {
        String v = values.get(key);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw invalid(key, "must be a whole number, got '" + v + "'");
        }
    }

    /** A number in {@code (min, max)} or {@code [min, max)} when {@code minInclusive}. */
    public double number(String key, double min, boolean minInclusive, double max) {
        String v = values.get(key);
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            d = Double.NaN;
        }
        boolean aboveMin = minInclusive ? d >= min : d > min;
        if (!(aboveMin && d < max)) {
            throw invalid(key, "must be a number " + (minInclusive ? ">= " : "> ") + min
                    + (Double.isInfinite(max) ? "" : " and < " + max) + ", got '" + v + "'");
        }
        return d;
    }

    public boolean bool(String key) {
        String v = values.get(key).toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw invalid(key, "must be true or false, got '" + values.get(key) + "'");
        }
        return v.equals("true");
    }

    public String choice(String key, List<String> allowed) {
        String v = values.get(key);
        if (!allowed.contains(v)) {
            throw invalid(key, "must be one of " + String.join(", ", allowed) + ", got '" + v + "'");
        }
        return v;
    }

    public FfsparkException invalid(String key, String problem) {
        String where = origin.getOrDefault(key, "default");
        return new FfsparkException(displayNames.getOrDefault(key, key) + " " + problem
                + ("default".equals(where) || !displayNames.isEmpty() ? "" : " (from " + where + ")")
                + commentHint(values.getOrDefault(key, "")));
    }

    /**
     * Why a value with a {@code #} in it may be wrong: properties files have no end-of-line comments, so
     * {@code key = 2  # note} gives the key the value {@code 2  # note}.
     */
    public static String commentHint(String value) {
        return value.contains("#") ? "; properties files have no end-of-line comments: put '# ...' on a line of "
                + "its own" : "";
    }
}
