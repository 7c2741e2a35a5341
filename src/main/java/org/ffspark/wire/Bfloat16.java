package org.ffspark.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Floats as bytes for the wire: float32 as they are, or rounded to bfloat16 (the upper half of a
 * float32, rounded to nearest, ties to even), half the bytes at a relative precision of 2^-8 and the
 * full range of float32. Deterministic: the same float always gives the same bytes.
 */
public final class Bfloat16 {
    private Bfloat16() {
    }

    /** The bfloat16 nearest {@code value}; NaN stays NaN. */
    public static short round(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x0040);
        }
        int lsb = (bits >>> 16) & 1;
        return (short) ((bits + 0x7FFF + lsb) >>> 16);
    }

    public static float value(short half) {
        return Float.intBitsToFloat(half << 16);
    }

    /** {@code values} in bfloat16, two little-endian bytes each. */
    public static byte[] encode(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putShort(round(v));
        }
        return b.array();
    }

    public static float[] decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[bytes.length / 2];
        for (int i = 0; i < values.length; i++) {
            values[i] = value(b.getShort());
        }
        return values;
    }

    /** {@code values} in float32, four little-endian bytes each. */
    public static byte[] encodeFloats(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    public static float[] decodeFloats(byte[] bytes) {
        float[] values = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }
}
