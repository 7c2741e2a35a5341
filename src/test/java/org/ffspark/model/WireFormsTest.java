package org.ffspark.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

/** Networks and gradients cross the wire through their compact forms, bit for bit. */
class WireFormsTest {
    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value, int[] size) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        size[0] = bytes.size();
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    @Test
    void networkSurvivesJavaSerializationBitForBitInFourBytesPerWeight() throws Exception {
        FFNetwork net = SimpleFFNetwork.initialize(784, 10, new int[] {100, 50}, GoodnessRule.NOTEBOOK, 5);
        net.parameters(1)[7] = Float.NaN;
        net.parameters(0)[0] = -0f;
        int[] size = new int[1];
        FFNetwork back = roundTrip(net, size);
        for (int l = 0; l < 2; l++) {
            assertArrayEquals(net.parameters(l), back.parameters(l));
        }
        assertEquals(net.rule(), back.rule());
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(back.parameters(0)[0]));
        // Raw floats plus Java serialization's block headers (a few bytes per KiB), nothing per element.
        assertTrue(size[0] < 4.05 * net.parameterCount() + 1024, "serialized size " + size[0]);
    }

    @Test
    void gradientsSurviveJavaSerialization() throws Exception {
        SimpleFFNetwork net = SimpleFFNetwork.initialize(12, 10, new int[] {6, 5}, GoodnessRule.PAPER, 5);
        LayerGradients g = new LayerGradients(net);
        LocalLearningTest.learn(new LocalLearning(), net, LocalLearningTest.randomPixels(3, 12, 1), new int[] {1, 2, 3},
                new int[] {4, 5, 6}, 3, 3, g);
        LayerGradients back = roundTrip(g, new int[1]);
        assertArrayEquals(g.gradient(0), back.gradient(0));
        assertArrayEquals(g.gradient(1), back.gradient(1));
        assertEquals(g.loss(1), back.loss(1));
        assertEquals(g.positiveGoodnessSum(0), back.positiveGoodnessSum(0));
        assertEquals(3, back.positives());
    }
}
