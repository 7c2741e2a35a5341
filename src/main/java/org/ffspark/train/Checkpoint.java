package org.ffspark.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.ffspark.FfsparkException;
import org.ffspark.eval.ConfusionMatrix;
import org.ffspark.model.ModelFile;
import org.ffspark.model.FFNetwork;

/**
 * Everything needed to continue a run exactly where it stopped, after a whole epoch: the network,
 * every layer's Adam moments and step count, the figures of the epochs so far, and a fingerprint of
 * the settings that must not change on resume. The random state needs no saving: every draw is a
 * function of the run seed and its position (epoch, step, sample).
 *
 * <p>Format (version 1), big-endian: magic {@code FFCHKPT\n}, int32 version, int32 header length,
 * UTF-8 JSON header ({@code epochsDone}, {@code adamSteps}, {@code epochs}: the per-epoch figures,
 * {@code fingerprint}), int32 model length and a complete {@code model.ffm} image, then per layer the
 * float32 first and second Adam moments, then the CRC-32 of all before it as int64.
 */
public record Checkpoint(int epochsDone, FFNetwork network, float[][] firstMoments,
                         float[][] secondMoments, long[] adamSteps, List<EpochMetrics> history,
                         Map<String, String> fingerprint) {
    public static final int FORMAT_VERSION = 1;
    private static final byte[] MAGIC = "FFCHKPT\n".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();

    public byte[] toBytes() {
        ObjectNode header = JSON.createObjectNode();
        header.put("epochsDone", epochsDone);
        ArrayNode steps = header.putArray("adamSteps");
        for (long s : adamSteps) {
            steps.add(s);
        }
        ArrayNode epochs = header.putArray("epochs");
        for (EpochMetrics m : history) {
            epochs.add(JSON.valueToTree(toMap(m)));
        }
        header.set("fingerprint", JSON.valueToTree(fingerprint));
        byte[] headerBytes;
        byte[] model = ModelFile.toBytes(network, Map.of());
        try {
            headerBytes = JSON.writeValueAsBytes(header);
        } catch (IOException e) {
            throw new IllegalStateException("checkpoint header", e);
        }
        long size = 16L + headerBytes.length + 4 + model.length + 8 * network.parameterCount() + 8;
        if (size > Integer.MAX_VALUE - 16) {
            throw new FfsparkException("network too large for a version-1 checkpoint");
        }
        ByteBuffer b = ByteBuffer.allocate((int) size);
        b.put(MAGIC).putInt(FORMAT_VERSION).putInt(headerBytes.length).put(headerBytes);
        b.putInt(model.length).put(model);
        for (int l = 0; l < network.layers(); l++) {
            b.asFloatBuffer().put(firstMoments[l]);
            b.position(b.position() + 4 * firstMoments[l].length);
            b.asFloatBuffer().put(secondMoments[l]);
            b.position(b.position() + 4 * secondMoments[l].length);
        }
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        b.putLong(crc.getValue());
        return b.array();
    }

    /** Reads a checkpoint, refusing anything that is not a complete, intact version-1 file. */
    public static Checkpoint fromBytes(byte[] bytes, String name) {
        if (bytes.length < 24 || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new FfsparkException(name + ": not an ffspark checkpoint (or truncated)");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        if (ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong() != crc.getValue()) {
            throw new FfsparkException(name + ": corrupt or truncated checkpoint (checksum mismatch)");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        b.position(MAGIC.length);
        int version = b.getInt();
        if (version != FORMAT_VERSION) {
            throw new FfsparkException(name + ": checkpoint format version " + version + ", this ffspark reads "
                    + FORMAT_VERSION);
        }
        try {
            byte[] headerBytes = new byte[b.getInt()];
            b.get(headerBytes);
            JsonNode header = JSON.readTree(headerBytes);
            byte[] model = new byte[b.getInt()];
            b.get(model);
            FFNetwork network = ModelFile.fromBytes(model, name).network();
            int layers = network.layers();
            float[][] first = new float[layers][];
            float[][] second = new float[layers][];
            for (int l = 0; l < layers; l++) {
                first[l] = new float[network.parameterCount(l)];
                b.asFloatBuffer().get(first[l]);
                b.position(b.position() + 4 * first[l].length);
                second[l] = new float[network.parameterCount(l)];
                b.asFloatBuffer().get(second[l]);
                b.position(b.position() + 4 * second[l].length);
            }
            long[] steps = new long[layers];
            for (int l = 0; l < layers; l++) {
                steps[l] = header.get("adamSteps").get(l).asLong();
            }
            List<EpochMetrics> history = new ArrayList<>();
            for (JsonNode e : header.get("epochs")) {
                history.add(fromJson(e));
            }
            @SuppressWarnings("unchecked")
            Map<String, String> fingerprint = JSON.convertValue(header.get("fingerprint"), LinkedHashMap.class);
            return new Checkpoint(header.get("epochsDone").asInt(), network, first, second, steps, history,
                    fingerprint);
        } catch (IOException | RuntimeException e) {
            if (e instanceof FfsparkException f) {
                throw f;
            }
            throw new FfsparkException(name + ": corrupt checkpoint (" + e.getMessage() + ")");
        }
    }

    /** The metrics.jsonl record plus what is needed to rebuild the epoch exactly. */
    static Map<String, Object> toMap(EpochMetrics m) {
        Map<String, Object> r = m.record();
        r.put("epochs", m.epochs());
        r.put("testConfusion", m.test().rows());
        return r;
    }

    private static EpochMetrics fromJson(JsonNode e) {
        return new EpochMetrics(e.get("epoch").asInt(), e.get("epochs").asInt(), doubles(e.get("loss")),
                doubles(e.get("positiveGoodness")), doubles(e.get("negativeGoodness")),
                e.get("trainAccuracy").asDouble(), ConfusionMatrix.of(JSON.convertValue(e.get("testConfusion"),
                        long[][].class)), e.get("bestTestAccuracy").asDouble(), e.get("trainSeconds").asDouble(),
                e.get("evalSeconds").asDouble(), EpochTiming.fromRecord(JSON.convertValue(e, Map.class)),
                e.has("positiveGoodnessByIteration")
                        ? new Settling(JSON.convertValue(e.get("positiveGoodnessByIteration"), double[][].class),
                                JSON.convertValue(e.get("negativeGoodnessByIteration"), double[][].class))
                        : null);
    }

    private static double[] doubles(JsonNode array) {
        double[] d = new double[array.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = array.get(i).asDouble();
        }
        return d;
    }
}
