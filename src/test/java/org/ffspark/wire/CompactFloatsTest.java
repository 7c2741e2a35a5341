package org.ffspark.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

class CompactFloatsTest {
    @Test
    void arraysLongerThanOneChunkKeepEveryValue() throws Exception {
        float[] values = new float[40_003];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.5f - 7;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            CompactFloats.write(out, values);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertArrayEquals(values, CompactFloats.read(in));
        }
    }
}
