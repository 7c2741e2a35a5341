package org.ffspark.ml;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.ffspark.config.ConfigKey;
import org.ffspark.config.Settings;

/**
 * The estimator's and model's training Params, made from the key table: name, type, meaning and
 * default all come from {@link ConfigKey}. Values are checked when fitting, by the command line's own
 * rules ({@link #settings}), so a Param refuses exactly what the key refuses, with the same message
 * under the Param's name.
 */
final class ParamTable {
    private ParamTable() {
    }

    /** The keys that are Params, in the table's order. */
    static Iterable<ConfigKey> keys() {
        return ConfigKey.TRAINING.stream().filter(k -> k.mlType() != ConfigKey.MlType.NONE)::iterator;
    }

    /** A Param for every such key, owned by {@code owner} (by uid), by Param name. */
    static Map<String, Param<?>> create(String ownerUid) {
        Map<String, Param<?>> params = new LinkedHashMap<>();
        for (ConfigKey k : keys()) {
            String doc = k.meaning() + " (" + k.allowed() + ")";
            Param<?> p = switch (k.mlType()) {
                case INT -> new IntParam(ownerUid, k.mlParam(), doc);
                case LONG -> new LongParam(ownerUid, k.mlParam(), doc);
                case DOUBLE -> new DoubleParam(ownerUid, k.mlParam(), doc);
                default -> new Param<String>(ownerUid, k.mlParam(), doc, textOnly(k));
            };
            params.put(k.mlParam(), p);
        }
        return params;
    }

    /**
     * A text Param's check, run by Spark when the Param is set (also through a ParamMap or a
     * ParamGridBuilder grid): a value of another type is refused there, naming the Param and the value,
     * rather than failing later in the fit. MLlib takes layer sizes as int arrays; this Param takes text.
     */
    @SuppressWarnings("unchecked")
    private static scala.Function1<String, Object> textOnly(ConfigKey k) {
        // Typed on Object: Spark hands over whatever a ParamMap holds, and a String-typed lambda would fail
        // on its own cast before the check. Serializable, as Params travel with their owner.
        String name = k.mlParam();
        String example = k.example();
        scala.Function1<Object, Object> check = (scala.Function1<Object, Object> & java.io.Serializable) value -> {
            if (!(value instanceof String)) {
                throw new IllegalArgumentException(name + " takes text, e.g. \"" + example + "\", not "
                        + describe(value));
            }
            return true;
        };
        return (scala.Function1<String, Object>) (scala.Function1<?, ?>) check;
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value.getClass().isArray()) {
            StringBuilder s = new StringBuilder(value.getClass().getComponentType().getSimpleName()).append(" array [");
            for (int i = 0; i < java.lang.reflect.Array.getLength(value); i++) {
                s.append(i == 0 ? "" : ", ").append(java.lang.reflect.Array.get(value, i));
            }
            return s.append(']').toString();
        }
        return "a " + value.getClass().getSimpleName() + " (" + value + ")";
    }

    /** Each Param's default, the key's: to be set by the owner ({@code setDefault} is its own). */
    static Map<Param<?>, Object> defaults(Map<String, Param<?>> params) {
        Map<Param<?>, Object> defaults = new LinkedHashMap<>();
        for (ConfigKey k : keys()) {
            defaults.put(params.get(k.mlParam()), value(k.mlType(), k.defaultValue()));
        }
        return defaults;
    }

    private static Object value(ConfigKey.MlType type, String text) {
        return switch (type) {
            case INT -> Integer.parseInt(text);
            case LONG -> Long.parseLong(text);
            case DOUBLE -> Double.parseDouble(text);
            default -> text;
        };
    }

    /** The settings an owner's Param values describe, to be checked and read as the command line's. */
    static Settings settings(Params owner, Map<String, Param<?>> params) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> names = new LinkedHashMap<>();
        java.util.Set<String> set = new java.util.HashSet<>();
        for (ConfigKey k : keys()) {
            Object v = owner.getOrDefault(params.get(k.mlParam()));
            values.put(k.name(), v instanceof Double d ? Double.toString(d) : String.valueOf(v));
            names.put(k.name(), k.mlParam());
            if (owner.isSet(params.get(k.mlParam()))) {
                set.add(k.name());
            }
        }
        return Settings.ofParams(values, names, set);
    }
}
