package org.ffspark.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.ffspark.FfsparkException;
import org.ffspark.model.Classifier;
import org.ffspark.model.GoodnessRule;
import org.ffspark.model.InputNorm;
import org.ffspark.model.RecurrentFFNetwork;
import org.ffspark.model.SimpleFFNetwork;

/**
 * Reading a model file's JSON header: every field checked against the shape it describes, so that a
 * damaged or foreign file is refused with its name and what is wrong, before any weight is read.
 */
final class ModelHeader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelHeader() {
    }

    static int readoutInputs(int[] shape, int scoreFrom) {
        int total = 0;
        for (int l = scoreFrom; l < shape.length - 2; l++) {
            total += shape[l + 2];
        }
        return total;
    }

    static SimpleFFNetwork.Design design(JsonNode header, int version, int layers, String name) {
        if (version < ModelFile.FORMAT_VERSION) {
            return SimpleFFNetwork.Design.NOTEBOOK;
        }
        for (String field : new String[] {"norm", "scoreLayerFrom", "readoutInputs", "classifier"}) {
            if (!header.has(field)) {
                throw new FfsparkException(name + ": corrupt model file (header lacks '" + field + "')");
            }
        }
        try {
            int from = header.get("scoreLayerFrom").asInt() - 1;
            if (from < 0 || from >= layers) {
                throw new IllegalArgumentException("scoreLayerFrom " + (from + 1) + " of " + layers + " layers");
            }
            return new SimpleFFNetwork.Design(InputNorm.of(header.get("norm").asText()), from,
                    header.get("readoutInputs").asInt() > 0, Classifier.of(header.get("classifier").asText()));
        } catch (IllegalArgumentException e) {
            throw new FfsparkException(name + ": corrupt model file (" + e.getMessage() + ")");
        }
    }

    static void checkReadout(JsonNode header, int layers, int readoutInputs, int classes, String name) {
        JsonNode counts = header.get("parameters");
        boolean readout = readoutInputs > 0;
        if (counts.size() != layers + (readout ? 1 : 0)
                || header.has("readoutInputs") && header.get("readoutInputs").asInt() != readoutInputs
                || readout && counts.get(layers).asLong() != (long) readoutInputs * classes) {
            throw new FfsparkException(name + ": corrupt model file (readout does not match its shape)");
        }
    }

    /** {inputSize, classes, width 0, width 1, ...} from the header, checked. */
    static int[] shape(JsonNode header, boolean recurrent, String name) {
        int inputSize = header.get("inputSize").asInt();
        int classes = header.get("classes").asInt();
        JsonNode hidden = header.get("hidden");
        JsonNode counts = header.get("parameters");
        int[] shape = new int[hidden.size() + 2];
        shape[0] = inputSize;
        shape[1] = classes;
        for (int l = 0; l < hidden.size(); l++) {
            shape[l + 2] = hidden.get(l).asInt();
        }
        if (inputSize <= 0 || classes < 2 || hidden.size() == 0
                || Arrays.stream(shape).anyMatch(w -> w <= 0)) {
            throw new FfsparkException(name + ": corrupt model file (invalid shape in header)");
        }
        for (int l = 0; l < hidden.size(); l++) {
            long count = layerParameters(shape, recurrent, l);
            if (count > Integer.MAX_VALUE - 16 || counts.get(l) == null || counts.get(l).asLong() != count) {
                throw new FfsparkException(name + ": corrupt model file (layer " + l
                        + " parameter count does not match its shape)");
            }
        }
        return shape;
    }

    static long layerParameters(int[] shape, boolean recurrent, int layer) {
        long width = shape[layer + 2];
        if (recurrent) {
            long below = layer == 0 ? shape[0] : shape[layer + 1];
            long above = layer + 3 < shape.length ? shape[layer + 3] : shape[1];
            return width * (below + 1 + above);
        }
        long inputs = layer == 0 ? (long) shape[0] + shape[1] : shape[layer + 1];
        return inputs * width + width;
    }

    static RecurrentFFNetwork.Dynamics dynamics(JsonNode header, String name) {
        for (String field : new String[] {"iterations", "damping", "scoreFrom", "scoreTo"}) {
            if (!header.has(field)) {
                throw new FfsparkException(name + ": corrupt model file (recurrent header lacks '" + field + "')");
            }
        }
        try {
            return new RecurrentFFNetwork.Dynamics(header.get("iterations").asInt(),
                    (float) header.get("damping").asDouble(), header.get("scoreFrom").asInt(),
                    header.get("scoreTo").asInt());
        } catch (IllegalArgumentException e) {
            throw new FfsparkException(name + ": corrupt model file (" + e.getMessage() + ")");
        }
    }

    static JsonNode parse(byte[] bytes, String name) {
        try {
            JsonNode header = JSON.readTree(bytes);
            for (String field : new String[] {"model", "inputSize", "classes", "hidden", "goodness",
                "threshold", "parameters"}) {
                if (header == null || !header.has(field)) {
                    throw new FfsparkException(name + ": corrupt model file (header lacks '" + field + "')");
                }
            }
            if (!List.of("simple", "recurrent").contains(header.get("model").asText())) {
                throw new FfsparkException(name + ": model type '" + header.get("model").asText()
                        + "' is not known to this ffspark");
            }
            return header;
        } catch (IOException e) {
            throw new FfsparkException(name + ": corrupt model file (header is not JSON)");
        }
    }

    static GoodnessRule rule(JsonNode header, String name) {
        String measure = header.get("goodness").asText();
        String threshold = header.get("threshold").asText();
        GoodnessRule.Measure m;
        try {
            m = GoodnessRule.Measure.valueOf(measure.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new FfsparkException(name + ": corrupt model file (goodness '" + measure + "')");
        }
        if ("width".equals(threshold)) {
            return new GoodnessRule(m, 0, true);
        }
        try {
            return new GoodnessRule(m, Double.parseDouble(threshold), false);
        } catch (NumberFormatException e) {
            throw new FfsparkException(name + ": corrupt model file (threshold '" + threshold + "')");
        }
    }
}
