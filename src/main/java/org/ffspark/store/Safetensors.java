package org.ffspark.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ffspark.FfsparkException;
import org.ffspark.model.Classifier;
import org.ffspark.model.FFNetwork;
import org.ffspark.model.GoodnessRule;
import org.ffspark.model.InputNorm;
import org.ffspark.model.RecurrentFFNetwork;
import org.ffspark.model.SimpleFFNetwork;

/**
 * A network's weights in the safetensors layout, the file PyTorch, NumPy and most ML tools read: an
 * eight-byte little-endian header length, a UTF-8 JSON header naming each tensor's dtype, shape and
 * byte range, then the raw little-endian float32 tensors. Tensors are named as the notebook's PyTorch
 * modules name their parameters, so its {@code load_state_dict} takes them as they are:
 *
 * <ul>
 *   <li>simple model: {@code layers.L.linear.weight} ({@code [width, inputs]}, layer 0's inputs being
 *       the pixels then the label units) and {@code layers.L.linear.bias}; a readout as
 *       {@code readout.weight} ({@code [classes, readoutInputs]});</li>
 *   <li>recurrent model: {@code layers.L.W_bottom_up.weight}, {@code layers.L.W_bottom_up.bias} and
 *       {@code layers.L.W_top_down.weight} (the top layer's from the label units).</li>
 * </ul>
 * The header's {@code __metadata__} holds the model's settings ({@code format=ffspark}, model, sizes,
 * goodness, normalisation, classifier), which reading restores. A file without them is read as the
 * notebook's network: the simple model, 10 classes, mean goodness against the width, length
 * normalisation.
 */
public final class Safetensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FORMAT = "ffspark";

    private Safetensors() {
    }

    /** The file's bytes; {@code extra} is added to the metadata. */
    public static byte[] toBytes(FFNetwork net, Map<String, String> extra) {
        Map<String, float[]> tensors = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", FORMAT);
        metadata.put("model", net.model());
        metadata.put("inputSize", Integer.toString(net.inputSize()));
        metadata.put("classes", Integer.toString(net.classes()));
        metadata.put("hidden", String.join(",", Arrays.stream(net.widths()).mapToObj(Integer::toString).toList()));
        metadata.put("goodness", net.rule().measureText());
        metadata.put("threshold", net.rule().thresholdText());
        if (net instanceof SimpleFFNetwork simple) {
            for (int l = 0; l < simple.layers(); l++) {
                float[] p = simple.parameters(l);
                int width = simple.width(l);
                int inputs = simple.inputs(l);
                tensors.put("layers." + l + ".linear.weight", Arrays.copyOfRange(p, 0, width * inputs));
                shapes.put("layers." + l + ".linear.weight", new long[] {width, inputs});
                tensors.put("layers." + l + ".linear.bias", Arrays.copyOfRange(p, width * inputs, p.length));
                shapes.put("layers." + l + ".linear.bias", new long[] {width});
            }
            if (simple.hasReadout()) {
                tensors.put("readout.weight", simple.parameters(simple.readoutBlock()));
                shapes.put("readout.weight", new long[] {simple.classes(), simple.readoutInputs()});
            }
            metadata.put("norm", simple.norm().text());
            metadata.put("scoreLayerFrom", Integer.toString(simple.scoreFrom() + 1));
            metadata.put("classifier", simple.design().classifier().text());
        } else {
            RecurrentFFNetwork r = (RecurrentFFNetwork) net;
            for (int l = 0; l < r.layers(); l++) {
                float[] p = r.parameters(l);
                int width = r.width(l);
                int below = l == 0 ? r.inputSize() : r.width(l - 1);
                int above = l + 1 < r.layers() ? r.width(l + 1) : r.classes();
                String name = "layers." + l + ".";
                tensors.put(name + "W_bottom_up.weight", Arrays.copyOfRange(p, 0, width * below));
                shapes.put(name + "W_bottom_up.weight", new long[] {width, below});
                tensors.put(name + "W_bottom_up.bias", Arrays.copyOfRange(p, width * below, width * (below + 1)));
                shapes.put(name + "W_bottom_up.bias", new long[] {width});
                tensors.put(name + "W_top_down.weight", Arrays.copyOfRange(p, width * (below + 1), p.length));
                shapes.put(name + "W_top_down.weight", new long[] {width, above});
            }
            RecurrentFFNetwork.Dynamics d = r.dynamics();
            metadata.put("iterations", Integer.toString(d.iterations()));
            metadata.put("damping", Float.toString(d.damping()));
            metadata.put("scoreIterations", d.windowText());
        }
        metadata.putAll(extra);
        ObjectNode header = JSON.createObjectNode();
        header.set("__metadata__", JSON.valueToTree(metadata));
        long offset = 0;
        for (Map.Entry<String, float[]> t : tensors.entrySet()) {
            ObjectNode entry = header.putObject(t.getKey());
            entry.put("dtype", "F32");
            entry.set("shape", JSON.valueToTree(shapes.get(t.getKey())));
            entry.set("data_offsets", JSON.valueToTree(new long[] {offset, offset + 4L * t.getValue().length}));
            offset += 4L * t.getValue().length;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(header);
        } catch (IOException e) {
            throw new IllegalStateException("safetensors header", e);
        }
        // The header is padded with spaces to a multiple of 8 bytes, so the tensors start aligned.
        int padded = (json.length + 7) / 8 * 8;
        if (8L + padded + offset > Integer.MAX_VALUE - 16) {
            throw new FfsparkException("model too large for one safetensors array: " + offset + " bytes");
        }
        ByteBuffer b = ByteBuffer.allocate((int) (8 + padded + offset)).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded).put(json);
        for (int i = json.length; i < padded; i++) {
            b.put((byte) ' ');
        }
        for (float[] t : tensors.values()) {
            b.asFloatBuffer().put(t);
            b.position(b.position() + 4 * t.length);
        }
        return b.array();
    }

    /** Whether {@code bytes} start as a safetensors file does (a header length, then a JSON object). */
    public static boolean looksLike(byte[] bytes) {
        if (bytes.length < 10) {
            return false;
        }
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return n > 1 && n < bytes.length && bytes[8] == '{';
    }

    /** The network in a safetensors file, refusing one it cannot read with a line naming what is wrong. */
    public static FFNetwork fromBytes(byte[] bytes, String name) {
        if (!looksLike(bytes)) {
            throw new FfsparkException(name + ": not a safetensors file");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = (int) b.getLong();
        JsonNode header;
        try {
            header = JSON.readTree(new String(bytes, 8, headerLength, StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            throw new FfsparkException(name + ": corrupt safetensors header (" + e.getMessage() + ")");
        }
        int dataStart = 8 + headerLength;
        Map<String, float[]> tensors = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            JsonNode t = e.getValue();
            if (!"F32".equals(t.path("dtype").asText())) {
                throw new FfsparkException(name + ": tensor " + e.getKey() + " is " + t.path("dtype").asText()
                        + "; ffspark reads float32 (F32) weights");
            }
            long start = t.path("data_offsets").path(0).asLong(-1);
            long end = t.path("data_offsets").path(1).asLong(-1);
            long[] shape = JSON.convertValue(t.path("shape"), long[].class);
            long count = Arrays.stream(shape).reduce(1, (x, y) -> x * y);
            if (start < 0 || end < start || dataStart + end > bytes.length || end - start != 4 * count) {
                throw new FfsparkException(name + ": corrupt or truncated safetensors file (tensor " + e.getKey()
                        + ")");
            }
            float[] values = new float[(int) count];
            ByteBuffer.wrap(bytes, (int) (dataStart + start), (int) (end - start)).order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer().get(values);
            FiniteWeights.check(values, name, "tensor " + e.getKey());
            tensors.put(e.getKey(), values);
            shapes.put(e.getKey(), shape);
        }
        Map<String, String> meta = new LinkedHashMap<>();
        header.path("__metadata__").fields().forEachRemaining(e -> meta.put(e.getKey(), e.getValue().asText()));
        try {
            return "recurrent".equals(meta.get("model")) ? recurrent(tensors, shapes, meta, name)
                    : simple(tensors, shapes, meta, name);
        } catch (IllegalArgumentException e) {
            throw new FfsparkException(name + ": " + e.getMessage());
        }
    }

    private static SimpleFFNetwork simple(Map<String, float[]> tensors, Map<String, long[]> shapes,
                                          Map<String, String> meta, String name) {
        List<float[]> params = new ArrayList<>();
        List<Integer> widths = new ArrayList<>();
        int firstInputs = -1;
        for (int l = 0; tensors.containsKey("layers." + l + ".linear.weight"); l++) {
            long[] shape = shapes.get("layers." + l + ".linear.weight");
            float[] bias = tensors.get("layers." + l + ".linear.bias");
            if (shape.length != 2 || bias == null || bias.length != shape[0]) {
                throw new FfsparkException(name + ": layers." + l + ".linear has no bias of its width");
            }
            if (l == 0) {
                firstInputs = (int) shape[1];
            } else if (shape[1] != widths.get(l - 1)) {
                throw new FfsparkException(name + ": layers." + l + ".linear.weight takes " + shape[1]
                        + " inputs, but layer " + (l - 1) + " has " + widths.get(l - 1) + " units");
            }
            float[] weight = tensors.get("layers." + l + ".linear.weight");
            float[] p = Arrays.copyOf(weight, weight.length + bias.length);
            System.arraycopy(bias, 0, p, weight.length, bias.length);
            params.add(p);
            widths.add((int) shape[0]);
        }
        if (widths.isEmpty()) {
            throw new FfsparkException(name + ": no layers.0.linear.weight: not the notebook's FF network nor an "
                    + "ffspark export");
        }
        boolean ours = FORMAT.equals(meta.get("format"));
        int classes = Integer.parseInt(meta.getOrDefault("classes", "10"));
        int inputSize = firstInputs - classes;
        if (inputSize <= 0) {
            throw new FfsparkException(name + ": layer 0 takes " + firstInputs + " inputs, fewer than the "
                    + classes + " label units");
        }
        GoodnessRule rule = ours ? rule(meta) : GoodnessRule.NOTEBOOK;
        int scoreFrom = ours ? Integer.parseInt(meta.getOrDefault("scoreLayerFrom", "1")) - 1 : 0;
        boolean readout = tensors.containsKey("readout.weight");
        Classifier classifier = ours && readout ? Classifier.of(meta.getOrDefault("classifier", "goodness"))
                : Classifier.GOODNESS;
        SimpleFFNetwork.Design design = new SimpleFFNetwork.Design(
                ours ? InputNorm.of(meta.getOrDefault("norm", "length")) : InputNorm.LENGTH, scoreFrom, readout,
                classifier);
        if (readout) {
            params.add(tensors.get("readout.weight"));
        }
        int[] w = widths.stream().mapToInt(Integer::intValue).toArray();
        return new SimpleFFNetwork(inputSize, classes, w, rule, design, params.toArray(new float[0][]));
    }

    private static RecurrentFFNetwork recurrent(Map<String, float[]> tensors, Map<String, long[]> shapes,
                                                Map<String, String> meta, String name) {
        List<float[]> params = new ArrayList<>();
        List<Integer> widths = new ArrayList<>();
        for (int l = 0; tensors.containsKey("layers." + l + ".W_bottom_up.weight"); l++) {
            String n = "layers." + l + ".";
            float[] up = tensors.get(n + "W_bottom_up.weight");
            float[] bias = tensors.get(n + "W_bottom_up.bias");
            float[] down = tensors.get(n + "W_top_down.weight");
            if (bias == null || down == null) {
                throw new FfsparkException(name + ": layer " + l + " lacks its bias or top-down weights");
            }
            float[] p = new float[up.length + bias.length + down.length];
            System.arraycopy(up, 0, p, 0, up.length);
            System.arraycopy(bias, 0, p, up.length, bias.length);
            System.arraycopy(down, 0, p, up.length + bias.length, down.length);
            params.add(p);
            widths.add((int) shapes.get(n + "W_bottom_up.weight")[0]);
        }
        String[] window = meta.getOrDefault("scoreIterations", "3-5").split("-");
        RecurrentFFNetwork.Dynamics d = new RecurrentFFNetwork.Dynamics(Integer.parseInt(meta.get("iterations")),
                Float.parseFloat(meta.get("damping")), Integer.parseInt(window[0]), Integer.parseInt(window[1]));
        int[] w = widths.stream().mapToInt(Integer::intValue).toArray();
        return new RecurrentFFNetwork(Integer.parseInt(meta.get("inputSize")), Integer.parseInt(meta.get("classes")),
                w, rule(meta), d, params.toArray(new float[0][]));
    }

    private static GoodnessRule rule(Map<String, String> meta) {
        GoodnessRule.Measure measure = GoodnessRule.Measure.valueOf(meta.getOrDefault("goodness", "mean")
                .toUpperCase(Locale.ROOT));
        String threshold = meta.getOrDefault("threshold", "1.0");
        return "width".equals(threshold) ? new GoodnessRule(measure, 0, true)
                : new GoodnessRule(measure, Double.parseDouble(threshold), false);
    }
}
