package org.ffspark.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.ffspark.FfsparkException;

/**
 * The saved-model format (version 2; version 1 is read too), documented in {@code docs/formats.md}; no
 * Java serialization.
 *
 * <pre>
 *   8 bytes   magic "FFSPARK\n"
 *   int32     format version (2)
 *   int32     header length L in bytes
 *   L bytes   header: UTF-8 JSON {"model", "inputSize", "classes", "hidden", "goodness",
 *             "threshold", "parameters": [count per block], "provenance": {...}}; the simple model's
 *             also "norm", "scoreLayerFrom", "readoutInputs", "classifier"
 *   per block float32 parameters: per layer the row-major width x inputs weights, then the width
 *             biases; then the simple model's readout, if any (row-major classes x readoutInputs)
 *   simple model, version 2: per layer the width float32 running mean activities of its units
 *   int64     CRC-32 of every byte before it
 * </pre>
 * All numbers are big-endian.
 */
public final class ModelFile {
    public static final int FORMAT_VERSION = 2;
    /** The first version, before the simple model's design and unit means: still read. */
    private static final int FIRST_VERSION = 1;
    private static final byte[] MAGIC = "FFSPARK\n".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_HEADER = 16 << 20;
    /** Magic, version and header length. */
    private static final int PREAMBLE = 16;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A network with the provenance it was saved with (config, data checksums, versions). */
    public record Saved(FFNetwork network, Map<String, Object> provenance) {
    }

    private ModelFile() {
    }

    public static void write(FFNetwork net, Map<String, Object> provenance, OutputStream out)
            throws IOException {
        out.write(toBytes(net, provenance));
        out.flush();
    }

    public static byte[] toBytes(FFNetwork net, Map<String, Object> provenance) {
        ObjectNode header = JSON.createObjectNode();
        header.put("model", net.model());
        if (net instanceof RecurrentFFNetwork recurrent) {
            RecurrentFFNetwork.Dynamics d = recurrent.dynamics();
            header.put("iterations", d.iterations());
            header.put("damping", d.damping());
            header.put("scoreFrom", d.scoreFrom());
            header.put("scoreTo", d.scoreTo());
        }
        header.put("inputSize", net.inputSize());
        header.put("classes", net.classes());
        ArrayNode hidden = header.putArray("hidden");
        ArrayNode counts = header.putArray("parameters");
        for (int l = 0; l < net.layers(); l++) {
            hidden.add(net.width(l));
        }
        for (int b = 0; b < net.blocks(); b++) {
            counts.add(net.parameterCount(b));
        }
        header.put("goodness", net.rule().measureText());
        header.put("threshold", net.rule().thresholdText());
        long unitMeans = 0;
        if (net instanceof SimpleFFNetwork simple) {
            header.put("norm", simple.norm().text());
            header.put("scoreLayerFrom", simple.scoreFrom() + 1);
            header.put("readoutInputs", simple.hasReadout() ? simple.readoutInputs() : 0);
            header.put("classifier", simple.design().classifier().text());
            for (int l = 0; l < simple.layers(); l++) {
                unitMeans += simple.width(l);
            }
        }
        header.set("provenance", JSON.valueToTree(provenance));
        byte[] headerBytes;
        try {
            headerBytes = JSON.writeValueAsBytes(header);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("provenance cannot be written as JSON", e);
        }
        long size = PREAMBLE + headerBytes.length + 4 * (net.parameterCount() + unitMeans) + 8;
        if (size > Integer.MAX_VALUE - 16) {
            throw new FfsparkException("model too large for format version " + FORMAT_VERSION
                    + ": " + net.parameterCount() + " parameters");
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) size);
        buffer.put(MAGIC).putInt(FORMAT_VERSION).putInt(headerBytes.length).put(headerBytes);
        for (int b = 0; b < net.blocks(); b++) {
            putFloats(buffer, net.parameters(b));
        }
        if (net instanceof SimpleFFNetwork simple) {
            for (int l = 0; l < simple.layers(); l++) {
                putFloats(buffer, simple.unitMeans(l));
            }
        }
        CRC32 crc = new CRC32();
        crc.update(buffer.array(), 0, buffer.position());
        buffer.putLong(crc.getValue());
        return buffer.array();
    }

    private static void putFloats(ByteBuffer buffer, float[] values) {
        buffer.asFloatBuffer().put(values);
        buffer.position(buffer.position() + 4 * values.length);
    }

    private static float[] getFloats(ByteBuffer buffer, int count) {
        float[] values = new float[count];
        buffer.asFloatBuffer().get(values);
        buffer.position(buffer.position() + 4 * count);
        return values;
    }

    /** Reads a model, refusing anything that is not a complete, intact version-1 or version-2 file. */
    public static Saved read(InputStream in, String name) {
        byte[] bytes;
        try {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new FfsparkException(name + ": cannot be read: " + FfsparkException.firstLine(e), e);
        }
        return fromBytes(bytes, name);
    }

    public static Saved fromBytes(byte[] bytes, String name) {
        if (bytes.length == 0) {
            throw new FfsparkException(name + ": empty model file");
        }
        if (bytes.length < MAGIC.length
                || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new FfsparkException(name + ": not an ffspark model file (wrong magic bytes)");
        }
        if (bytes.length < PREAMBLE) {
            throw new FfsparkException(name + ": truncated model file");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        buffer.position(MAGIC.length);
        int version = buffer.getInt();
        if (version != FORMAT_VERSION && version != FIRST_VERSION) {
            throw new FfsparkException(name + ": model format version " + version
                    + ", this ffspark reads versions " + FIRST_VERSION + " and " + FORMAT_VERSION);
        }
        int headerLength = buffer.getInt();
        if (headerLength <= 0 || headerLength > MAX_HEADER) {
            throw new FfsparkException(name + ": corrupt model file (header length " + headerLength + ")");
        }
        if (bytes.length < PREAMBLE + headerLength) {
            throw new FfsparkException(name + ": truncated model file");
        }
        JsonNode header = parseHeader(Arrays.copyOfRange(bytes, PREAMBLE, PREAMBLE + headerLength), name);
        buffer.position(PREAMBLE + headerLength);
        boolean recurrent = "recurrent".equals(header.get("model").asText());
        int[] shape = shape(header, recurrent, name);
        int layers = shape.length - 2;
        SimpleFFNetwork.Design design = recurrent ? null : parseDesign(header, version, layers, name);
        int readoutInputs = design != null && design.readout() ? readoutInputs(shape, design.scoreFrom()) : 0;
        checkReadoutCount(header, layers, readoutInputs, shape[1], name);
        long expected = PREAMBLE + headerLength + 8 + 4L * readoutInputs * shape[1];
        for (int l = 0; l < layers; l++) {
            expected += 4L * layerParameters(shape, recurrent, l);
            if (!recurrent && version >= FORMAT_VERSION) {
                expected += 4L * shape[l + 2];
            }
        }
        if (bytes.length < expected) {
            throw new FfsparkException(name + ": truncated model file (" + bytes.length
                    + " bytes, its header describes " + expected + ")");
        }
        if (bytes.length > expected) {
            throw new FfsparkException(name + ": corrupt model file (" + (bytes.length - expected)
                    + " bytes after the checksum)");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        if (ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong() != crc.getValue()) {
            throw new FfsparkException(name + ": corrupt model file (checksum mismatch)");
        }
        float[][] parameters = new float[layers + (readoutInputs > 0 ? 1 : 0)][];
        for (int l = 0; l < layers; l++) {
            parameters[l] = getFloats(buffer, (int) layerParameters(shape, recurrent, l));
        }
        if (readoutInputs > 0) {
            parameters[layers] = getFloats(buffer, readoutInputs * shape[1]);
        }
        int[] widths = Arrays.copyOfRange(shape, 2, shape.length);
        FFNetwork net;
        if (recurrent) {
            net = new RecurrentFFNetwork(shape[0], shape[1], widths, parseRule(header, name),
                    parseDynamics(header, name), parameters);
        } else {
            SimpleFFNetwork fresh = new SimpleFFNetwork(shape[0], shape[1], widths, parseRule(header, name), design,
                    parameters, blankMeans(widths));
            if (version >= FORMAT_VERSION) {
                for (int l = 0; l < layers; l++) {
                    System.arraycopy(getFloats(buffer, widths[l]), 0, fresh.unitMeans(l), 0, widths[l]);
                }
            }
            net = fresh;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> provenance = header.has("provenance")
                ? JSON.convertValue(header.get("provenance"), LinkedHashMap.class)
                : new LinkedHashMap<>();
        return new Saved(net, provenance);
    }

    /** Running means as a fresh network has them (a version-1 file saved none). */
    private static float[][] blankMeans(int[] widths) {
        float[][] means = new float[widths.length][];
        for (int l = 0; l < widths.length; l++) {
            means[l] = new float[widths[l]];
            Arrays.fill(means[l], SimpleFFNetwork.INITIAL_UNIT_MEAN);
        }
        return means;
    }

    private static int readoutInputs(int[] shape, int scoreFrom) {
        int total = 0;
        for (int l = scoreFrom; l < shape.length - 2; l++) {
            total += shape[l + 2];
        }
        return total;
    }

    private static SimpleFFNetwork.Design parseDesign(JsonNode header, int version, int layers, String name) {
        if (version < FORMAT_VERSION) {
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

    private static void checkReadoutCount(JsonNode header, int layers, int readoutInputs, int classes, String name) {
        JsonNode counts = header.get("parameters");
        boolean readout = readoutInputs > 0;
        if (counts.size() != layers + (readout ? 1 : 0)
                || header.has("readoutInputs") && header.get("readoutInputs").asInt() != readoutInputs
                || readout && counts.get(layers).asLong() != (long) readoutInputs * classes) {
            throw new FfsparkException(name + ": corrupt model file (readout does not match its shape)");
        }
    }

    /** {inputSize, classes, width 0, width 1, ...} from the header, checked. */
    private static int[] shape(JsonNode header, boolean recurrent, String name) {
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

    private static long layerParameters(int[] shape, boolean recurrent, int layer) {
        long width = shape[layer + 2];
        if (recurrent) {
            long below = layer == 0 ? shape[0] : shape[layer + 1];
            long above = layer + 3 < shape.length ? shape[layer + 3] : shape[1];
            return width * (below + 1 + above);
        }
        long inputs = layer == 0 ? (long) shape[0] + shape[1] : shape[layer + 1];
        return inputs * width + width;
    }

    private static RecurrentFFNetwork.Dynamics parseDynamics(JsonNode header, String name) {
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

    private static JsonNode parseHeader(byte[] bytes, String name) {
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

    private static GoodnessRule parseRule(JsonNode header, String name) {
        String measure = header.get("goodness").asText();
        String threshold = header.get("threshold").asText();
        GoodnessRule.Measure m;
        try {
            m = GoodnessRule.Measure.valueOf(measure.toUpperCase(java.util.Locale.ROOT));
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
