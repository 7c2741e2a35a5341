package org.ffspark.partition;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ffspark.linalg.KernelTime;
import org.ffspark.model.Classifier;
import org.ffspark.model.FFNetwork;
import org.ffspark.model.GoodnessRule;
import org.ffspark.model.InputNorm;
import org.ffspark.model.SimpleFFNetwork;
import org.junit.jupiter.api.Test;

/** Averaging in slices is the partition-ordered average, bit for bit, however many slices. */
class ReplicaSlicesTest {
    private static PartitionRound.Share replica(FFNetwork shape, long seed, long samples) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] params = new float[shape.blocks()][];
        float[][] m = new float[shape.blocks()][];
        float[][] v = new float[shape.blocks()][];
        for (int b = 0; b < params.length; b++) {
            params[b] = new float[shape.parameterCount(b)];
            m[b] = new float[shape.parameterCount(b)];
            v[b] = new float[shape.parameterCount(b)];
            for (int i = 0; i < params[b].length; i++) {
                params[b][i] = (float) random.nextGaussian();
                m[b][i] = (float) random.nextGaussian();
                v[b][i] = (float) random.nextDouble();
            }
        }
        SimpleFFNetwork net = (SimpleFFNetwork) shape.withParameters(params);
        for (int l = 0; l < net.layers(); l++) {
            for (int u = 0; u < net.width(l); u++) {
                net.unitMeans(l)[u] = (float) random.nextDouble();
            }
        }
        return new PartitionRound.Share(new ReplicaState(net, m, v, 7), samples, new double[] {seed, 1, 2},
                new double[] {seed, 2}, new double[] {3, seed}, new double[0], new KernelTime(), -1, -1);
    }

    @Test
    void theSlicedAverageIsThePartitionOrderedAverage() {
        FFNetwork shape = SimpleFFNetwork.initialize(20, 3, new int[] {7, 5}, GoodnessRule.PAPER,
                new SimpleFFNetwork.Design(InputNorm.RMS, 1, true, Classifier.GOODNESS), 1);
        List<PartitionRound.Share> replicas = new ArrayList<>();
        for (int p = 0; p < 10; p++) {
            replicas.add(replica(shape, p, 30 + 7L * p));
        }
        PartitionRound.Share expected = PartitionRound.average(replicas);
        for (int slices : new int[] {1, 3, 10, 1000}) {
            List<List<ReplicaSlices.Piece>> bySlice = new ArrayList<>();
            for (int k = 0; k < slices; k++) {
                bySlice.add(new ArrayList<>());
            }
            List<ReplicaSlices.Figures> figures = new ArrayList<>();
            for (int p = replicas.size() - 1; p >= 0; p--) { // arriving in any order
                for (ReplicaSlices.Piece piece : ReplicaSlices.pieces(p, replicas.get(p), null, slices)) {
                    bySlice.get(piece.slice()).add(piece);
                }
                figures.add(ReplicaSlices.Figures.of(p, replicas.get(p)));
            }
            List<ReplicaSlices.Piece> averaged = new ArrayList<>();
            for (List<ReplicaSlices.Piece> pieces : bySlice) {
                averaged.add(ReplicaSlices.average(pieces));
            }
            PartitionRound.Share sliced = ReplicaSlices.assemble(replicas.get(0).state(), averaged, figures);
            assertEquals(expected.state().network(), sliced.state().network(), slices + " slices");
            for (int b = 0; b < shape.blocks(); b++) {
                assertArrayEquals(expected.state().firstMoment(b), sliced.state().firstMoment(b));
                assertArrayEquals(expected.state().secondMoment(b), sliced.state().secondMoment(b));
            }
            for (int l = 0; l < shape.layers(); l++) {
                assertArrayEquals(((SimpleFFNetwork) expected.state().network()).unitMeans(l),
                        ((SimpleFFNetwork) sliced.state().network()).unitMeans(l));
            }
            assertEquals(expected.samples(), sliced.samples());
            assertArrayEquals(expected.lossSums(), sliced.lossSums());
            assertArrayEquals(expected.positiveSums(), sliced.positiveSums());
        }
    }
}
