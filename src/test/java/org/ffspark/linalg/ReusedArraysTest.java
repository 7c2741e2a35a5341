package org.ffspark.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ReusedArraysTest {
    /** A length no other test in this JVM hands back, so the pool's other contents do not interfere. */
    private static final int LENGTH = ReusedArrays.MIN_LENGTH + 12345;

    @Test
    void anArrayHandedBackIsTheNextOneTakenAndCopiesAndZerosOverwriteIt() {
        float[] dirty = new float[LENGTH];
        Arrays.fill(dirty, 7f);
        ReusedArrays.handBack(dirty);
        float[] zeros = ReusedArrays.zeros(LENGTH);
        assertSame(dirty, zeros);
        for (float z : zeros) {
            assertEquals(0f, z);
        }

        Arrays.fill(dirty, -3f);
        ReusedArrays.handBack(dirty);
        float[] source = new float[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            source[i] = i * 0.5f;
        }
        float[] copy = ReusedArrays.copyOf(source);
        assertSame(dirty, copy);
        assertEquals(0, Arrays.compare(source, copy));
        assertNotSame(dirty, ReusedArrays.any(LENGTH), "the pool held it once");
    }

    @Test
    void smallArraysAreNotKeptAndAnArrayHandedBackTwiceIsRefused() {
        float[] small = new float[ReusedArrays.MIN_LENGTH - 1];
        ReusedArrays.handBack(small);
        assertNotSame(small, ReusedArrays.any(small.length));

        float[] large = new float[LENGTH + 1];
        ReusedArrays.handBack(large);
        assertThrows(IllegalStateException.class, () -> ReusedArrays.handBack(large));
        assertSame(large, ReusedArrays.any(LENGTH + 1));
    }
}
