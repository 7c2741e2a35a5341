package org.ffspark.store;

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
import org.ffspark.model.FFNetwork;
import org.ffspark.train.EpochMetrics;
import org.ffspark.train.EpochTiming;
import org.ffspark.train.Settling;
import org.ffspark.train.TrainingSnapshot;

/**
 * Everything needed to continue a run exactly where it stopped, after a whole epoch: the driver's
 * state ({@link TrainingSnapshot}) and a fingerprint of the settings that must not change on resume.
 *
 * <p>Format (version 3), big-endian: magic {@code FFCHKPT\n}, int32 version, int32 header length,
 * UTF-8 JSON header ({@code epochsDone}, {@code adamSteps}: each block's optimizer steps, {@code epochs}: the per-epoch
 * figures, {@code fingerprint}), int32 model length and a complete {@code model.ffm} image, then per
 * block the optimizer's two state arrays, each as int32 length and float32 values, then int32 the number
 * of outer momentum arrays (0 without an outer optimizer) and each as int32 length and float32 values,
 * then the CRC-32 of all before it as int64. Version 2 (without the outer arrays) and version 1 (per
 * layer, both optimizer arrays of the layer's size, no lengths) are read.
 */
public record Checkpoint(TrainingSnapshot state, Map<String, String> fingerprint) {
    public static final int FORMAT_VERSION = 3;
    private static final int SECOND_VERSION = 2;
    private static final int FIRST_VERSION = 1;
    private static final byte[] MAGIC = "FFCHKPT\n".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();

    public byte[] toBytes() {
        int epochsDone = state.epochsDone();
        long[] optimizerSteps = state.optimizerSteps();
        float[][] firstMoments = state.firstMoments();
        float[][] secondMoments = state.secondMoments();
        ObjectNode header = JSON.createObjectNode();
        header.put("epochsDone", epochsDone);
        ArrayNode steps = header.putArray("adamSteps");
        for (long s : optimizerSteps) {
            steps.add(s);
        }
        ArrayNode epochs = header.putArray("epochs");
        for (EpochMetrics m : state.history()) {
            epochs.add(JSON.valueToTree(toMap(m)));
        }
        header.set("fingerprint", JSON.valueToTree(fingerprint));
        byte[] headerBytes;
        byte[] model = ModelFile.toBytes(state.network(), Map.of());
        try {
            headerBytes = JSON.writeValueAsBytes(header);
        } catch (IOException e) {
            throw new IllegalStateException("checkpoint header", e);
        }
        long stateBytes = 0;
        for (int b = 0; b < firstMoments.length; b++) {
            stateBytes += 8 + 4L * (firstMoments[b].length + secondMoments[b].length);
        }
        float[][] outer = state.outerMomentum();
        stateBytes += 4;
        for (float[] o : outer) {
            stateBytes += 4 + 4L * o.length;
        }
        long size = 16L + headerBytes.length + 4 + model.length + stateBytes + 8;
        if (size > Integer.MAX_VALUE - 16) {
            throw new FfsparkException("network too large for a version-" + FORMAT_VERSION + " checkpoint");
        }
        ByteBuffer b = ByteBuffer.allocate((int) size);
        b.put(MAGIC).putInt(FORMAT_VERSION).putInt(headerBytes.length).put(headerBytes);
        b.putInt(model.length).put(model);
        for (int block = 0; block < firstMoments.length; block++) {
            putFloats(b, firstMoments[block]);
            putFloats(b, secondMoments[block]);
        }
        b.putInt(outer.length);
        for (float[] o : outer) {
            putFloats(b, o);
        }
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        b.putLong(crc.getValue());
        return b.array();
    }

    /** Whether {@code bytes} start as a checkpoint does. */
    public static boolean looksLike(byte[] bytes) {
        return bytes.length >= MAGIC.length && Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC);
    }

    /** Reads a checkpoint, refusing anything that is not a complete, intact file of a version it knows. */
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
        if (version < FIRST_VERSION || version > FORMAT_VERSION) {
            throw new FfsparkException(name + ": checkpoint format version " + version + ", this ffspark reads "
                    + FIRST_VERSION + " to " + FORMAT_VERSION);
        }
        try {
            byte[] headerBytes = new byte[b.getInt()];
            b.get(headerBytes);
            JsonNode header = JSON.readTree(headerBytes);
            byte[] model = new byte[b.getInt()];
            b.get(model);
            FFNetwork network = ModelFile.fromBytes(model, name).network();
            int blocks = network.blocks();
            float[][] first = new float[blocks][];
            float[][] second = new float[blocks][];
            for (int block = 0; block < blocks; block++) {
                int size = network.parameterCount(block);
                first[block] = version == FIRST_VERSION ? getFloats(b, size) : getFloats(b);
                second[block] = version == FIRST_VERSION ? getFloats(b, size) : getFloats(b);
            }
            float[][] outer = new float[version > SECOND_VERSION ? b.getInt() : 0][];
            for (int block = 0; block < outer.length; block++) {
                outer[block] = getFloats(b);
            }
            long[] steps = new long[blocks];
            for (int block = 0; block < blocks; block++) {
                steps[block] = header.get("adamSteps").get(block).asLong();
            }
            List<EpochMetrics> history = new ArrayList<>();
            for (JsonNode e : header.get("epochs")) {
                history.add(fromJson(e));
            }
            @SuppressWarnings("unchecked")
            Map<String, String> fingerprint = JSON.convertValue(header.get("fingerprint"), LinkedHashMap.class);
            FiniteWeights.check(network, name);
            return new Checkpoint(new TrainingSnapshot(header.get("epochsDone").asInt(), network, first, second, steps,
                    outer, history), fingerprint);
        } catch (IOException | RuntimeException e) {
            if (e instanceof FfsparkException f) {
                throw f;
            }
            throw new FfsparkException(name + ": corrupt checkpoint (" + e.getMessage() + ")");
        }
    }

    private static void putFloats(ByteBuffer b, float[] values) {
        b.putInt(values.length);
        b.asFloatBuffer().put(values);
        b.position(b.position() + 4 * values.length);
    }

    private static float[] getFloats(ByteBuffer b) {
        int length = b.getInt();
        if (length < 0 || 4L * length > b.remaining()) {
            throw new IllegalArgumentException("optimizer state of " + length + " values");
        }
        return getFloats(b, length);
    }

    private static float[] getFloats(ByteBuffer b, int length) {
        float[] values = new float[length];
        b.asFloatBuffer().get(values);
        b.position(b.position() + 4 * length);
        return values;
    }

    /** The metrics.jsonl record plus what is needed to rebuild the epoch exactly. */
    static Map<String, Object> toMap(EpochMetrics m) {
        Map<String, Object> r = m.record();
        r.put("epochs", m.epochs());
        r.put("testConfusion", m.evaluated() ? m.test().rows() : null);
        return r;
    }

    private static EpochMetrics fromJson(JsonNode e) {
        EpochMetrics.TrainingFigures training = new EpochMetrics.TrainingFigures(doubles(e.get("loss")),
                e.has("readoutLoss") ? e.get("readoutLoss").asDouble() : Double.NaN,
                doubles(e.get("positiveGoodness")), doubles(e.get("negativeGoodness")),
                e.has("positiveGoodnessByIteration")
                        ? new Settling(JSON.convertValue(e.get("positiveGoodnessByIteration"), double[][].class),
                                JSON.convertValue(e.get("negativeGoodnessByIteration"), double[][].class))
                        : null);
        JsonNode confusion = e.get("testConfusion");
        EpochMetrics.Evaluation evaluation = confusion == null || confusion.isNull()
                ? EpochMetrics.Evaluation.skipped(e.get("bestTestAccuracy").asDouble())
                : new EpochMetrics.Evaluation(e.get("trainAccuracy").asDouble(),
                        ConfusionMatrix.of(JSON.convertValue(confusion, long[][].class)),
                        e.get("bestTestAccuracy").asDouble());
        return new EpochMetrics(e.get("epoch").asInt(), e.get("epochs").asInt(), training, evaluation,
                EpochTiming.fromRecord(JSON.convertValue(e, Map.class)));
    }

    private static double[] doubles(JsonNode array) {
        double[] d = new double[array.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = array.get(i).asDouble();
        }
        return d;
    }
}
