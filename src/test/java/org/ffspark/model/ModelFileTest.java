package org.ffspark.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import org.ffspark.FfsparkException;
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
        ByteBuffer.wrap(other).putInt(8, 2);
        assertEquals("m.ffm: model format version 2, this ffspark reads version 1", failure(other));
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
}
