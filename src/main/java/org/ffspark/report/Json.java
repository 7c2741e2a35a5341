package org.ffspark.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;

/** JSON text of plain maps and lists, compact for JSON Lines and indented for files people read. */
public final class Json {
    private static final ObjectMapper COMPACT = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    /** A record (or any bean) as the map Jackson would write for it. */
    @SuppressWarnings("unchecked")
    public static java.util.Map<String, Object> map(Object value) {
        return COMPACT.convertValue(value, java.util.LinkedHashMap.class);
    }

    public static String line(Object value) {
        try {
            return COMPACT.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not writable as JSON: " + value, e);
        }
    }

    public static byte[] document(Object value) {
        try {
            return (PRETTY.writeValueAsString(value) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not writable as JSON: " + value, e);
        }
    }
}
