package org.ffspark.partition;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.ffspark.linalg.KernelTime;
import org.ffspark.model.FFNetwork;
import org.ffspark.model.SimpleFFNetwork;
import org.ffspark.wire.Bfloat16;

/**
 * The replicas' average computed in slices, free of Spark: every replica's arrays (weights, optimizer
 * state, unit means), read end to end as one long vector, are cut into the same slices; each slice is
 * averaged from all the replicas' pieces of it (on an executor of its own), and the averaged slices put
 * back together give exactly {@link PartitionRound#average}: every element is the same weighted sum,
 * taken in partition order. No machine then receives every replica: each sends its copy once, in
 * pieces, and receives a slice of every other's, whatever the number of replicas.
 */
public final class ReplicaSlices {
    private ReplicaSlices() {
    }

    /**
     * A replica's piece of slice {@code slice}, as bytes (a byte array crosses the wire as one block):
     * its values in float32, or, with {@code deltas}, how far the round moved them (the round's start
     * minus them) in bfloat16, half the bytes.
     */
    public record Piece(int slice, int partition, long samples, boolean deltas, byte[] payload)
            implements Serializable {
        float[] values() {
            return deltas ? Bfloat16.decode(payload) : Bfloat16.decodeFloats(payload);
        }
    }

    /** What a round's replica reports besides its arrays: its figures, for the driver to sum. */
    public record Figures(int partition, long samples, double[] lossSums, double[] positiveSums,
                          double[] negativeSums, double[] settlingSums, KernelTime time, int divergedLayer,
                          int divergedStep) implements Serializable {
        public static Figures of(int partition, PartitionRound.Share share) {
            return new Figures(partition, share.samples(), share.lossSums(), share.positiveSums(),
                    share.negativeSums(), share.settlingSums(), share.time(), share.divergedLayer(),
                    share.divergedStep());
        }
    }

    /** The arrays a replica's average is taken over, in a fixed order: weights, moments, unit means. */
    static List<float[]> arrays(ReplicaState state) {
        FFNetwork network = state.network();
        List<float[]> arrays = new ArrayList<>();
        for (int b = 0; b < network.blocks(); b++) {
            arrays.add(network.parameters(b));
        }
        if (state.hasOptimizerState()) {
            for (int b = 0; b < network.blocks(); b++) {
                arrays.add(state.firstMoment(b));
            }
            for (int b = 0; b < network.blocks(); b++) {
                arrays.add(state.secondMoment(b));
            }
        }
        if (network instanceof SimpleFFNetwork simple) {
            for (int l = 0; l < simple.layers(); l++) {
                arrays.add(simple.unitMeans(l));
            }
        }
        return arrays;
    }

    private static long length(List<float[]> arrays) {
        long n = 0;
        for (float[] a : arrays) {
            n += a.length;
        }
        return n;
    }

    /** Slice {@code k} of {@code slices}: elements {@code [from, to)} of the arrays read end to end. */
    private static long start(long length, int k, int slices) {
        return length * k / slices;
    }

    /**
     * A replica after its round, as its pieces for every slice: its values, or (given the round's
     * {@code start}, of the same shape) its changes in bfloat16.
     */
    public static List<Piece> pieces(int partition, PartitionRound.Share share, ReplicaState start, int slices) {
        List<float[]> arrays = arrays(share.state());
        List<float[]> from = start == null ? null : arrays(start);
        long length = length(arrays);
        List<Piece> pieces = new ArrayList<>(slices);
        for (int k = 0; k < slices; k++) {
            long begin = start(length, k, slices);
            long end = start(length, k + 1, slices);
            float[] values = new float[(int) (end - begin)];
            copy(arrays, begin, values, true);
            if (from == null) {
                pieces.add(new Piece(k, partition, share.samples(), false, Bfloat16.encodeFloats(values)));
            } else {
                float[] was = new float[values.length];
                copy(from, begin, was, true);
                for (int i = 0; i < values.length; i++) {
                    values[i] = was[i] - values[i];
                }
                pieces.add(new Piece(k, partition, share.samples(), true, Bfloat16.encode(values)));
            }
        }
        return pieces;
    }

    /**
     * One slice averaged from every replica's piece, weighted by the samples each trained on, the pieces
     * taken in partition order: as {@link PartitionRound#average} takes every element.
     */
    public static Piece average(List<Piece> pieces) {
        List<Piece> ordered = new ArrayList<>(pieces);
        ordered.sort(Comparator.comparingInt(Piece::partition));
        long samples = 0;
        for (Piece p : ordered) {
            samples += p.samples();
        }
        float[] sum = null;
        for (Piece p : ordered) {
            float w = samples == 0 ? 1f / ordered.size() : (float) ((double) p.samples() / samples);
            float[] v = p.values();
            if (sum == null) {
                sum = new float[v.length];
            }
            for (int i = 0; i < sum.length; i++) {
                sum[i] += w * v[i];
            }
        }
        boolean deltas = ordered.get(0).deltas();
        return new Piece(ordered.get(0).slice(), -1, samples, deltas,
                deltas ? Bfloat16.encode(sum) : Bfloat16.encodeFloats(sum));
    }

    /**
     * The averaged replica: {@code start}'s shape (the round's broadcast state) filled with the averaged
     * slices, and the replicas' figures combined as {@link PartitionRound#average} combines them.
     */
    public static PartitionRound.Share assemble(ReplicaState start, List<Piece> averaged, List<Figures> figures) {
        FFNetwork shape = start.network();
        int blocks = shape.blocks();
        float[][] params = new float[blocks][];
        float[][] m = start.hasOptimizerState() ? new float[blocks][] : null;
        float[][] v = start.hasOptimizerState() ? new float[blocks][] : null;
        for (int b = 0; b < blocks; b++) {
            params[b] = new float[shape.parameterCount(b)];
            if (m != null) {
                m[b] = new float[start.firstMoment(b).length];
                v[b] = new float[start.secondMoment(b).length];
            }
        }
        FFNetwork network = shape.withParameters(params);
        ReplicaState state = new ReplicaState(network, m, v, start.optimizerSteps());
        List<float[]> arrays = arrays(state);
        long length = length(arrays);
        int slices = averaged.size();
        for (Piece piece : averaged) {
            float[] values = piece.values();
            long at = start(length, piece.slice(), slices);
            if (piece.deltas()) {
                float[] was = new float[values.length];
                copy(arrays(start), at, was, true);
                for (int i = 0; i < values.length; i++) {
                    values[i] = was[i] - values[i];
                }
            }
            copy(arrays, at, values, false);
        }
        List<Figures> ordered = new ArrayList<>(figures);
        ordered.sort(Comparator.comparingInt(Figures::partition));
        Figures first = ordered.get(0);
        long samples = 0;
        double[] loss = new double[first.lossSums().length];
        double[] positive = new double[first.positiveSums().length];
        double[] negative = new double[first.negativeSums().length];
        double[] settling = new double[first.settlingSums().length];
        KernelTime time = new KernelTime();
        int divergedLayer = -1;
        int divergedStep = Integer.MAX_VALUE;
        for (Figures f : ordered) {
            samples += f.samples();
            PartitionRound.addInto(loss, f.lossSums());
            PartitionRound.addInto(positive, f.positiveSums());
            PartitionRound.addInto(negative, f.negativeSums());
            PartitionRound.addInto(settling, f.settlingSums());
            time.addConcurrent(f.time());
            if (f.divergedLayer() >= 0 && f.divergedStep() < divergedStep) {
                divergedLayer = f.divergedLayer();
                divergedStep = f.divergedStep();
            }
        }
        return new PartitionRound.Share(state, samples, loss, positive, negative, settling, time, divergedLayer,
                divergedLayer < 0 ? -1 : divergedStep);
    }

    /** Copies between the arrays read end to end from {@code from} and {@code values}, either way. */
    private static void copy(List<float[]> arrays, long from, float[] values, boolean out) {
        long offset = 0;
        int done = 0;
        for (float[] a : arrays) {
            long end = offset + a.length;
            if (end > from + done && done < values.length) {
                int at = (int) (from + done - offset);
                int n = Math.min(a.length - at, values.length - done);
                if (out) {
                    System.arraycopy(a, at, values, done, n);
                } else {
                    System.arraycopy(values, done, a, at, n);
                }
                done += n;
            }
            offset = end;
        }
    }
}
