package org.ffspark.store;

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
import java.util.Map;
import java.util.zip.CRC32;
import org.ffspark.FfsparkException;
import org.ffspark.model.FFNetwork;
import org.ffspark.model.RecurrentFFNetwork;
import org.ffspark.model.SimpleFFNetwork;

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
        JsonNode header = ModelHeader.parse(Arrays.copyOfRange(bytes, PREAMBLE, PREAMBLE + headerLength), name);
        buffer.position(PREAMBLE + headerLength);
        boolean recurrent = "recurrent".equals(header.get("model").asText());
        int[] shape = ModelHeader.shape(header, recurrent, name);
        int layers = shape.length - 2;
        SimpleFFNetwork.Design design = recurrent ? null : ModelHeader.design(header, version, layers, name);
        int readoutInputs = design != null && design.readout()
                ? ModelHeader.readoutInputs(shape, design.scoreFrom()) : 0;
        ModelHeader.checkReadout(header, layers, readoutInputs, shape[1], name);
        long expected = PREAMBLE + headerLength + 8 + 4L * readoutInputs * shape[1];
        for (int l = 0; l < layers; l++) {
            expected += 4L * ModelHeader.layerParameters(shape, recurrent, l);
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
            parameters[l] = getFloats(buffer, (int) ModelHeader.layerParameters(shape, recurrent, l));
        }
        if (readoutInputs > 0) {
            parameters[layers] = getFloats(buffer, readoutInputs * shape[1]);
        }
        int[] widths = Arrays.copyOfRange(shape, 2, shape.length);
        FFNetwork net;
        if (recurrent) {
            net = new RecurrentFFNetwork(shape[0], shape[1], widths, ModelHeader.rule(header, name),
                    ModelHeader.dynamics(header, name), parameters);
        } else {
            // Running means as a fresh network has them until read (a version-1 file saved none).
            SimpleFFNetwork fresh = new SimpleFFNetwork(shape[0], shape[1], widths, ModelHeader.rule(header, name),
                    design, parameters);
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
        FiniteWeights.check(net, name);
        return new Saved(net, provenance);
    }
}
