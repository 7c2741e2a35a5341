package org.ffspark.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import org.ffspark.FfsparkException;
import org.ffspark.model.Classifier;
import org.ffspark.model.FFNetwork;
import org.ffspark.model.GoodnessRule;
import org.ffspark.model.InputNorm;
import org.ffspark.model.SimpleFFNetwork;
import org.junit.jupiter.api.Test;

class ModelFileTest {
    private final FFNetwork net = SimpleFFNetwork.initialize(784, 10, new int[] {20, 7},
            GoodnessRule.NOTEBOOK, 5);
    private final byte[] bytes = ModelFile.toBytes(net, Map.of("config", Map.of("seed", "5")));

    @Test
    void savedModelReadsBackIdentical() {
        ModelFile.Saved saved = ModelFile.read(new ByteArrayInputStream(bytes), "m.ffm");
        assertEquals(net, saved.network());
        assertEquals(GoodnessRule.NOTEBOOK, saved.network().rule());
        assertEquals(Map.of("seed", "5"), saved.provenance().get("config"));
    }

    private static String failure(byte[] content) {
        return assertThrows(FfsparkException.class,
                () -> ModelFile.read(new ByteArrayInputStream(content), "m.ffm")).getMessage();
    }

    @Test
    void aWeightThatIsNotANumberIsRefusedOnEveryPathThatLoadsAModel() {
        FFNetwork broken = net.copy();
        broken.parameters(1)[3] = Float.NaN;
        String expected = "layer 2 holds NaN at position 3; a model with weights that are not finite numbers cannot "
                + "be used";
        assertEquals("m.ffm: " + expected, failure(ModelFile.toBytes(broken, Map.of())));
        byte[] safetensors = Safetensors.toBytes(broken, Map.of());
        assertEquals("m.safetensors: tensor layers.1.linear.weight holds NaN at position 3; a model with weights "
                + "that are not finite numbers cannot be used", assertThrows(FfsparkException.class,
                        () -> Safetensors.fromBytes(safetensors, "m.safetensors")).getMessage());
        float[][] state = {new float[broken.parameterCount(0)], new float[broken.parameterCount(1)]};
        byte[] checkpoint = new Checkpoint(new org.ffspark.train.TrainingSnapshot(1, broken, state, state,
                new long[] {1, 1}, new float[0][], java.util.List.of()), Map.of()).toBytes();
        assertEquals("c.ffc: " + expected, assertThrows(FfsparkException.class,
                () -> Checkpoint.fromBytes(checkpoint, "c.ffc")).getMessage());
    }

    @Test
    void truncatedModelIsRejectedWithItsName() {
        String message = failure(Arrays.copyOf(bytes, bytes.length - 100));
        assertTrue(message.startsWith("m.ffm: truncated model file"), message);
    }

    @Test
    void flippedByteIsCaughtByTheChecksum() {
        byte[] corrupt = bytes.clone();
        corrupt[corrupt.length - 500] ^= 0x10;
        assertTrue(failure(corrupt).contains("checksum mismatch"));
    }

    @Test
    void otherFormatVersionIsRefused() {
        byte[] other = bytes.clone();
        ByteBuffer.wrap(other).putInt(8, 3);
        assertEquals("m.ffm: model format version 3, this ffspark reads versions 1 and 2", failure(other));
    }

    @Test
    void foreignAndEmptyFilesAreRefused() {
        assertTrue(failure("PK\u0003\u0004 a zip file".getBytes()).contains("not an ffspark model file"));
        assertEquals("m.ffm: empty model file", failure(new byte[0]));
    }

    @Test
    void modelFileWrittenByVersionOneStillReads() throws Exception {
        // Committed when format version 1 was written; a format change must keep reading it.
        try (var in = ModelFileTest.class.getResourceAsStream("/formats/model-v1.ffm")) {
            ModelFile.Saved saved = ModelFile.read(in, "model-v1.ffm");
            assertEquals(SimpleFFNetwork.initialize(784, 10, new int[] {5, 3}, GoodnessRule.NOTEBOOK, 7), saved.network());
            assertEquals("0.1.0", saved.provenance().get("ffspark"));
        }
    }

    @Test
    void aNetworkWithReadoutAndRunningMeansReadsBackIdentical() {
        SimpleFFNetwork paper = SimpleFFNetwork.initialize(784, 10, new int[] {30, 20, 10},
                new GoodnessRule(GoodnessRule.Measure.SUM, 0, true),
                new SimpleFFNetwork.Design(InputNorm.RMS, 1, true, Classifier.READOUT), 8);
        Arrays.fill(paper.parameters(paper.readoutBlock()), 0.25f);
        paper.unitMeans(2)[3] = 7f;
        SimpleFFNetwork back = (SimpleFFNetwork) ModelFile.fromBytes(ModelFile.toBytes(paper, Map.of()), "p.ffm")
                .network();
        assertEquals(paper, back);
        assertEquals(Classifier.READOUT, back.design().classifier());
        assertEquals(300, back.parameterCount(3), "10 classes x (20 + 10) inputs");
        assertEquals(7f, back.unitMeans(2)[3]);
    }

    @Test
    void aVersionOneFileReadsAsTheNotebooksDesign() throws Exception {
        SimpleFFNetwork old = SimpleFFNetwork.initialize(784, 10, new int[] {6, 4}, GoodnessRule.PAPER, 2);
        byte[] header = ("{\"model\":\"simple\",\"inputSize\":784,\"classes\":10,\"hidden\":[6,4],"
                + "\"parameters\":[" + old.parameterCount(0) + "," + old.parameterCount(1) + "],\"goodness\":\"mean\","
                + "\"threshold\":\"1.0\",\"provenance\":{}}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(16 + header.length + 4 * (int) old.parameterCount() + 8);
        b.put("FFSPARK\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(1).putInt(header.length)
                .put(header);
        for (int l = 0; l < 2; l++) {
            b.asFloatBuffer().put(old.parameters(l));
            b.position(b.position() + 4 * old.parameterCount(l));
        }
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(b.array(), 0, b.position());
        b.putLong(crc.getValue());
        SimpleFFNetwork back = (SimpleFFNetwork) ModelFile.fromBytes(b.array(), "old.ffm").network();
        assertEquals(old, back);
        assertEquals(SimpleFFNetwork.Design.NOTEBOOK, back.design());
    }
}
