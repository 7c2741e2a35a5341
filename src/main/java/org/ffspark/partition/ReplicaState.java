package org.ffspark.partition;

import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.io.Serializable;
import org.ffspark.model.FFNetwork;
import org.ffspark.model.SimpleFFNetwork;
import org.ffspark.optim.Optimizer;
import org.ffspark.optim.OptimizerSettings;
import org.ffspark.wire.CompactFloats;
import org.ffspark.wire.WireForm;

/**
 * Everything a replica needs to take optimizer steps on its own: the network and each block's
 * optimizer state and step count. With {@code sync=every:K} the driver broadcasts one, every partition
 * advances its copy K steps, and the copies are averaged back into one.
 */
public final class ReplicaState implements Serializable {
    private static final long serialVersionUID = 1L;

    private final FFNetwork network;
    private final float[][] firstMoments;
    private final float[][] secondMoments;
    private final long optimizerSteps;

    public ReplicaState(FFNetwork network, float[][] firstMoments, float[][] secondMoments,
                        long optimizerSteps) {
        this.network = network;
        this.firstMoments = firstMoments;
        this.secondMoments = secondMoments;
        this.optimizerSteps = optimizerSteps;
    }

    /**
     * The driver's network and optimizers as one state, sharing their arrays rather than copying them:
     * broadcast it, and change neither until the round's job has ended (replicas copy what they step).
     * Blocks step in lockstep, so one step count serves.
     */
    public static ReplicaState of(FFNetwork network, Optimizer[] optimizers) {
        int blocks = network.blocks();
        float[][] first = new float[blocks][];
        float[][] second = new float[blocks][];
        for (int b = 0; b < blocks; b++) {
            first[b] = optimizers[b].firstMoment();
            second[b] = optimizers[b].secondMoment();
        }
        return new ReplicaState(network, first, second, optimizers[0].steps());
    }

    public FFNetwork network() {
        return network;
    }

    public float[] firstMoment(int layer) {
        return firstMoments[layer];
    }

    public float[] secondMoment(int layer) {
        return secondMoments[layer];
    }

    public long optimizerSteps() {
        return optimizerSteps;
    }

    /** Fresh optimizers, one per block at its settings, that continue from this state. */
    Optimizer[] optimizers(OptimizerSettings[] settings) {
        Optimizer[] optimizers = new Optimizer[network.blocks()];
        for (int b = 0; b < optimizers.length; b++) {
            optimizers[b] = Optimizer.create(settings[b], network.parameterCount(b));
            optimizers[b].restore(firstMoments[b], secondMoments[b], optimizerSteps);
        }
        return optimizers;
    }

    /** Sets the driver's network (with its unit means) and optimizers to this state. */
    public void copyInto(FFNetwork target, Optimizer[] optimizers) {
        for (int b = 0; b < optimizers.length; b++) {
            System.arraycopy(network.parameters(b), 0, target.parameters(b), 0, network.parameterCount(b));
            optimizers[b].restore(firstMoments[b], secondMoments[b], optimizerSteps);
        }
        if (network instanceof SimpleFFNetwork from && target instanceof SimpleFFNetwork to) {
            for (int l = 0; l < from.layers(); l++) {
                System.arraycopy(from.unitMeans(l), 0, to.unitMeans(l), 0, from.width(l));
            }
        }
    }

    private Object writeReplace() {
        return new Wire(this);
    }

    private static final class Wire extends WireForm<ReplicaState> {
        private static final long serialVersionUID = 1L;

        public Wire() {
            // for deserialization
        }

        Wire(ReplicaState value) {
            super(value);
        }

        @Override
        protected void write(ReplicaState value, ObjectOutput out) throws IOException {
            out.writeObject(value.network);
            CompactFloats.writeAll(out, value.firstMoments);
            CompactFloats.writeAll(out, value.secondMoments);
            out.writeLong(value.optimizerSteps);
        }

        @Override
        protected ReplicaState read(ObjectInput in) throws IOException, ClassNotFoundException {
            FFNetwork network = (FFNetwork) in.readObject();
            return new ReplicaState(network, CompactFloats.readAll(in), CompactFloats.readAll(in), in.readLong());
        }
    }
}
