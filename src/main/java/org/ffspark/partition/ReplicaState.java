package org.ffspark.partition;

import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.io.Serializable;
import org.ffspark.linalg.ReusedArrays;
import org.ffspark.model.FFNetwork;
import org.ffspark.model.SimpleFFNetwork;
import org.ffspark.optim.Optimizer;
import org.ffspark.optim.OptimizerSettings;
import org.ffspark.wire.CompactFloats;
import org.ffspark.wire.WireForm;

/**
 * Everything a replica needs to take optimizer steps on its own: the network and each block's
 * optimizer state and step count, or the network alone when every round starts its optimizers afresh.
 * In averaging rounds and local steps the driver broadcasts one, every partition advances its copy,
 * and the copies are averaged back into one.
 */
public final class ReplicaState implements Serializable {
    private static final long serialVersionUID = 1L;

    private final FFNetwork network;
    private final float[][] firstMoments;
    private final float[][] secondMoments;
    private final long optimizerSteps;

    /** @param firstMoments null (with {@code secondMoments}) for a state without the optimizers' */
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

    /** The network alone: the copies that start from it take fresh optimizers. */
    public static ReplicaState weightsOnly(FFNetwork network) {
        return new ReplicaState(network, null, null, 0);
    }

    public FFNetwork network() {
        return network;
    }

    /** Whether the optimizers' state travels with the network. */
    public boolean hasOptimizerState() {
        return firstMoments != null;
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

    /** Optimizers, one per block at its settings, that continue from this state (or start afresh). */
    Optimizer[] optimizers(OptimizerSettings[] settings) {
        Optimizer[] optimizers = new Optimizer[network.blocks()];
        for (int b = 0; b < optimizers.length; b++) {
            optimizers[b] = Optimizer.create(settings[b], network.parameterCount(b));
            if (hasOptimizerState()) {
                optimizers[b].restore(firstMoments[b], secondMoments[b], optimizerSteps);
            }
        }
        return optimizers;
    }

    /** Sets the driver's network (with its unit means) and optimizers to this state. */
    public void copyInto(FFNetwork target, Optimizer[] optimizers) {
        for (int b = 0; b < optimizers.length; b++) {
            System.arraycopy(network.parameters(b), 0, target.parameters(b), 0, network.parameterCount(b));
        }
        restoreOptimizers(optimizers);
        copyUnitMeans(target);
    }

    /** Sets the driver's optimizers to this state's, if it carries them. */
    public void restoreOptimizers(Optimizer[] optimizers) {
        if (!hasOptimizerState()) {
            return;
        }
        for (int b = 0; b < optimizers.length; b++) {
            optimizers[b].restore(firstMoments[b], secondMoments[b], optimizerSteps);
        }
    }

    /** Sets the simple model's running unit means (peer normalisation's state) of {@code target} to this one's. */
    public void copyUnitMeans(FFNetwork target) {
        if (network instanceof SimpleFFNetwork from && target instanceof SimpleFFNetwork to) {
            for (int l = 0; l < from.layers(); l++) {
                System.arraycopy(from.unitMeans(l), 0, to.unitMeans(l), 0, from.width(l));
            }
        }
    }

    /**
     * Hands this state's large arrays back for the next replicas ({@link ReusedArrays}): for a replica
     * the driver has read and will not read again, in the driver's JVM.
     */
    public void handBack() {
        for (int b = 0; b < network.blocks(); b++) {
            ReusedArrays.handBack(network.parameters(b));
            if (hasOptimizerState()) {
                ReusedArrays.handBack(firstMoments[b]);
                ReusedArrays.handBack(secondMoments[b]);
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
            out.writeBoolean(value.hasOptimizerState());
            if (value.hasOptimizerState()) {
                CompactFloats.writeAll(out, value.firstMoments);
                CompactFloats.writeAll(out, value.secondMoments);
            }
            out.writeLong(value.optimizerSteps);
        }

        @Override
        protected ReplicaState read(ObjectInput in) throws IOException, ClassNotFoundException {
            FFNetwork network = (FFNetwork) in.readObject();
            boolean optimizers = in.readBoolean();
            float[][] first = optimizers ? CompactFloats.readAll(in) : null;
            float[][] second = optimizers ? CompactFloats.readAll(in) : null;
            return new ReplicaState(network, first, second, in.readLong());
        }
    }
}
