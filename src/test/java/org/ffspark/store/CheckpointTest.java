package org.ffspark.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.ffspark.FfsparkException;
import org.ffspark.eval.ConfusionMatrix;
import org.ffspark.model.FFNetwork;
import org.ffspark.model.GoodnessRule;
import org.ffspark.model.SimpleFFNetwork;
import org.ffspark.train.EpochMetrics;
import org.ffspark.train.EpochTiming;
import org.ffspark.train.TrainingSnapshot;
import org.junit.jupiter.api.Test;

class CheckpointTest {
    private final FFNetwork net = SimpleFFNetwork.initialize(784, 10, new int[] {12, 5}, GoodnessRule.PAPER, 3);
    private final Checkpoint checkpoint = new Checkpoint(new TrainingSnapshot(1, net,
            new float[][] {filled(net.parameterCount(0), 0.5f), filled(net.parameterCount(1), -1f)},
            new float[][] {filled(net.parameterCount(0), 2f), filled(net.parameterCount(1), 3f)},
            new long[] {313, 313}, new float[][] {filled(net.parameterCount(0), 0.25f), filled(net.parameterCount(1), 4f)},
            List.of(new EpochMetrics(1, 4,
                    new EpochMetrics.TrainingFigures(new double[] {0.9, 1.1}, Double.NaN, new double[] {2, 3},
                            new double[] {0.5, 0.25}, null),
                    new EpochMetrics.Evaluation(0.81, ConfusionMatrix.of(new long[][] {{3, 1}, {0, 4}}), 0.875),
                    new EpochTiming(12.5, 0.5, 313, 20_000, 3.5, 0.25, 123_456_789_012L, 1.75)))),
            Map.of("hidden", "[12, 5]", "seed", "3"));

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }

    @Test
    void checkpointReadsBackIdentical() {
        Checkpoint back = Checkpoint.fromBytes(checkpoint.toBytes(), "c.ffc");
        assertEquals(net, back.state().network());
        assertArrayEquals(checkpoint.state().firstMoments()[1], back.state().firstMoments()[1]);
        assertArrayEquals(checkpoint.state().secondMoments()[0], back.state().secondMoments()[0]);
        assertArrayEquals(new long[] {313, 313}, back.state().optimizerSteps());
        assertArrayEquals(checkpoint.state().outerMomentum()[1], back.state().outerMomentum()[1]);
        assertEquals(checkpoint.fingerprint(), back.fingerprint());
        EpochMetrics m = back.state().history().get(0);
        assertArrayEquals(new double[] {0.9, 1.1}, m.loss());
        assertEquals(0.875, m.testAccuracy());
        assertEquals(1, m.test().count(0, 1));
        assertEquals(12.5, m.trainSeconds());
        assertEquals(new EpochTiming(12.5, 0.5, 313, 20_000, 3.5, 0.25, 123_456_789_012L, 1.75), m.timing());
    }

    @Test
    void aVersionTwoCheckpointWithoutOuterStateStillReads() {
        Checkpoint none = new Checkpoint(new TrainingSnapshot(1, net, checkpoint.state().firstMoments(),
                checkpoint.state().secondMoments(), new long[] {313, 313}, new float[0][], List.of()), Map.of());
        byte[] three = none.toBytes();
        // Version 2 is version 3 without the count of outer arrays (4 bytes before the checksum).
        byte[] two = Arrays.copyOf(three, three.length - 4);
        ByteBuffer.wrap(two).putInt(8, 2);
        CRC32 crc = new CRC32();
        crc.update(two, 0, two.length - 8);
        ByteBuffer.wrap(two).putLong(two.length - 8, crc.getValue());
        Checkpoint back = Checkpoint.fromBytes(two, "v2.ffc");
        assertEquals(0, back.state().outerMomentum().length);
        assertArrayEquals(checkpoint.state().firstMoments()[1], back.state().firstMoments()[1]);
    }

    @Test
    void damagedCheckpointsAreRefused() {
        byte[] bytes = checkpoint.toBytes();
        assertTrue(assertThrows(FfsparkException.class, () -> Checkpoint.fromBytes(Arrays.copyOf(bytes, bytes.length - 9),
                "c.ffc")).getMessage().startsWith("c.ffc: corrupt or truncated checkpoint"));
        byte[] version = bytes.clone();
        ByteBuffer.wrap(version).putInt(8, 7);
        // the checksum covers the version, so a changed version without a new checksum is corruption
        assertTrue(assertThrows(FfsparkException.class, () -> Checkpoint.fromBytes(version, "c.ffc")).getMessage()
                .contains("checksum mismatch"));
        assertTrue(assertThrows(FfsparkException.class, () -> Checkpoint.fromBytes(new byte[3], "c.ffc")).getMessage()
                .contains("not an ffspark checkpoint"));
    }

    @Test
    void sgdStateAndAReadoutBlockReadBack() {
        SimpleFFNetwork paper = SimpleFFNetwork.initialize(784, 10, new int[] {12, 5}, GoodnessRule.PAPER,
                new SimpleFFNetwork.Design(org.ffspark.model.InputNorm.RMS, 1, true,
                        org.ffspark.model.Classifier.READOUT), 3);
        float[][] velocity = {filled(paper.parameterCount(0), 1f), filled(paper.parameterCount(1), 2f),
            filled(paper.parameterCount(2), 3f)};
        float[][] none = {new float[0], new float[0], new float[0]};
        Checkpoint sgd = new Checkpoint(new TrainingSnapshot(2, paper, velocity, none, new long[] {7, 7, 7},
                new float[0][], List.of()), Map.of());
        Checkpoint back = Checkpoint.fromBytes(sgd.toBytes(), "s.ffc");
        assertEquals(paper, back.state().network());
        assertArrayEquals(velocity[2], back.state().firstMoments()[2]);
        assertEquals(0, back.state().secondMoments()[1].length);
        assertArrayEquals(new long[] {7, 7, 7}, back.state().optimizerSteps());
    }
}
