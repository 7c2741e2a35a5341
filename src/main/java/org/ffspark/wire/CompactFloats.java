package org.ffspark.wire;

import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Float arrays written as raw little-endian bytes in bulk. Java serialization converts a float array
 * element by element; weights and gradients cross the wire every training step, so their encoding is
 * a memory copy instead (the per-step cost that dominates small steps).
 */
public final class CompactFloats {
    private static final int CHUNK_FLOATS = 16 * 1024;

    private CompactFloats() {
    }

    public static void write(ObjectOutput out, float[] values) throws IOException {
        out.writeInt(values.length);
        byte[] chunk = new byte[Math.min(values.length, CHUNK_FLOATS) * Float.BYTES];
        ByteBuffer bytes = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
        for (int offset = 0; offset < values.length; offset += CHUNK_FLOATS) {
            int n = Math.min(CHUNK_FLOATS, values.length - offset);
            bytes.clear();
            bytes.asFloatBuffer().put(values, offset, n);
            out.write(chunk, 0, n * Float.BYTES);
        }
    }

    public static float[] read(ObjectInput in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("negative float array length " + length);
        }
        float[] values = new float[length];
        byte[] chunk = new byte[Math.min(length, CHUNK_FLOATS) * Float.BYTES];
        ByteBuffer bytes = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
        for (int offset = 0; offset < length; offset += CHUNK_FLOATS) {
            int n = Math.min(CHUNK_FLOATS, length - offset);
            in.readFully(chunk, 0, n * Float.BYTES);
            bytes.clear();
            bytes.asFloatBuffer().get(values, offset, n);
        }
        return values;
    }

    public static void writeAll(ObjectOutput out, float[][] arrays) throws IOException {
        out.writeInt(arrays.length);
        for (float[] a : arrays) {
            write(out, a);
        }
    }

    public static float[][] readAll(ObjectInput in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("negative array count " + n);
        }
        float[][] arrays = new float[n][];
        for (int i = 0; i < n; i++) {
            arrays[i] = read(in);
        }
        return arrays;
    }
}
