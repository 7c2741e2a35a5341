package org.ffspark.train;

import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.io.Serializable;
import org.ffspark.model.CompactFloats;
import org.ffspark.model.FFNetwork;
import org.ffspark.model.WireForm;
import org.ffspark.optim.Adam;
import org.ffspark.optim.AdamSettings;

/**
 * Everything a replica needs to take optimizer steps on its own: the network and each layer's Adam
 * moments and step count. With {@code sync=every:K} the driver broadcasts one, every partition
 * advances its copy K steps, and the copies are averaged back into one.
 */
public final class ReplicaState implements Serializable {
    private static final long serialVersionUID = 1L;

    private final FFNetwork network;
    private final float[][] firstMoments;
    private final float[][] secondMoments;
    private final long adamSteps;

    public ReplicaState(FFNetwork network, float[][] firstMoments, float[][] secondMoments,
                        long adamSteps) {
        this.network = network;
        this.firstMoments = firstMoments;
        this.secondMoments = secondMoments;
        this.adamSteps = adamSteps;
    }

    /**
     * The driver's network and optimizers as one state, sharing their arrays rather than copying them:
     * broadcast it, and change neither until the round's job has ended (replicas copy what they step).
     * Layers step in lockstep, so one step count serves.
     */
    public static ReplicaState of(FFNetwork network, Adam[] optimizers) {
        int layers = network.layers();
        float[][] first = new float[layers][];
        float[][] second = new float[layers][];
        for (int l = 0; l < layers; l++) {
            first[l] = optimizers[l].firstMoment();
            second[l] = optimizers[l].secondMoment();
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

    public long adamSteps() {
        return adamSteps;
    }

    /** Fresh optimizers that continue from this state's moments and step count. */
    Adam[] optimizers(AdamSettings settings) {
        Adam[] adams = new Adam[network.layers()];
        for (int l = 0; l < adams.length; l++) {
            adams[l] = new Adam(settings, network.parameterCount(l));
            adams[l].restore(firstMoments[l], secondMoments[l], adamSteps);
        }
        return adams;
    }

    /** Sets the driver's network and optimizers to this state. */
    void copyInto(FFNetwork target, Adam[] optimizers) {
        for (int l = 0; l < optimizers.length; l++) {
            System.arraycopy(network.parameters(l), 0, target.parameters(l), 0, network.parameterCount(l));
            optimizers[l].restore(firstMoments[l], secondMoments[l], adamSteps);
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
            out.writeLong(value.adamSteps);
        }

        @Override
        protected ReplicaState read(ObjectInput in) throws IOException, ClassNotFoundException {
            FFNetwork network = (FFNetwork) in.readObject();
            return new ReplicaState(network, CompactFloats.readAll(in), CompactFloats.readAll(in), in.readLong());
        }
    }
}
