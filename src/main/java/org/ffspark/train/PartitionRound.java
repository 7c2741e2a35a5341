package org.ffspark.train;

import java.io.Serializable;
import java.util.List;
import org.ffspark.data.DataBlock;
import org.ffspark.model.Gemm;
import org.ffspark.model.KernelTime;
import org.ffspark.model.LayerGradients;
import org.ffspark.model.FFNetwork;
import org.ffspark.optim.Adam;
import org.ffspark.optim.AdamSettings;

/**
 * What one partition does in a round of {@code sync=every:K}, free of Spark: starting from the
 * broadcast state, take K optimizer steps of its own, each on its members of the corresponding
 * step of the epoch (the same samples and wrong labels the synchronous rule would use), with the
 * gradient averaged over those members. The driver then averages the replicas ({@link #average}).
 *
 * <p>With one partition a round is exactly K synchronous steps; with more, the replicas drift apart
 * for K steps, which is the accuracy price of talking K times less.
 */
public final class PartitionRound {
    private PartitionRound() {
    }

    /** A replica after its round, with the figures of the steps it took. */
    public record Share(ReplicaState state, long samples, double[] lossSums, double[] positiveSums,
                        double[] negativeSums, double[] settlingSums, KernelTime time, int divergedLayer,
                        int divergedStep)
            implements Serializable {
    }

    /**
     * Runs steps {@code firstStep .. firstStep + steps - 1} of {@code epoch} on the block's members.
     * A step in which the block has no member leaves the replica as it is (its optimizer still counts
     * the step, so that bias corrections stay in step with the other replicas).
     */
    public static Share run(ReplicaState start, AdamSettings adam, DataBlock block, int[] order, int epoch,
                            int firstStep, int steps, int batchSize, long seed) {
        return run(start, adam, block, order, epoch, firstStep, steps, batchSize, seed, 0);
    }

    /**
     * As above; with {@code negativeScoreLayers > 0} the wrong labels follow the replica's own scores
     * (its goodness summed over that many layers from the first).
     */
    public static Share run(ReplicaState start, AdamSettings adam, DataBlock block, int[] order, int epoch,
                            int firstStep, int steps, int batchSize, long seed, int negativeScoreLayers) {
        long started = System.nanoTime();
        Gemm.Meter products = Gemm.meter().copy();
        FFNetwork net = start.network().copy();
        Adam[] optimizers = start.optimizers(adam);
        int layers = net.layers();
        double[] loss = new double[layers];
        double[] positive = new double[layers];
        double[] negative = new double[layers];
        LayerGradients gradients = new LayerGradients(net);
        double[] settling = new double[LayerGradients.settlingLength(net)];
        long samples = 0;
        int divergedLayer = -1;
        int divergedStep = -1;
        int lastStep = firstStep;
        for (int step = firstStep; step < firstStep + steps && divergedLayer < 0; step++) {
            gradients.clearStatistics(); // the arrays: zeroed by each optimizer step as it reads them
            int members = PartitionStep.localGradient(net, block, order, epoch, step, batchSize, seed,
                    negativeScoreLayers, gradients);
            if (members == 0) {
                for (Adam optimizer : optimizers) {
                    optimizer.skipStep();
                }
                continue;
            }
            for (int l = 0; l < layers; l++) {
                // A weight gone NaN or infinite shows in the next step's loss (and at the round's end).
                if (!Double.isFinite(gradients.loss(l)) && divergedLayer < 0) {
                    divergedLayer = l;
                    divergedStep = step;
                }
                optimizers[l].stepAndClear(net.parameters(l), gradients.gradient(l));
                // The kernel's loss is the mean over the members: weigh it back to a sum over samples.
                loss[l] += gradients.loss(l) * members;
                positive[l] += gradients.positiveGoodnessSum(l);
                negative[l] += gradients.negativeGoodnessSum(l);
            }
            addInto(settling, gradients.settlingSums());
            samples += members;
            lastStep = step;
        }
        for (int l = 0; l < layers && divergedLayer < 0; l++) {
            if (!Adam.allFinite(net.parameters(l))) {
                divergedLayer = l;
                divergedStep = lastStep;
            }
        }
        float[][] first = new float[layers][];
        float[][] second = new float[layers][];
        for (int l = 0; l < layers; l++) {
            first[l] = optimizers[l].firstMoment();
            second[l] = optimizers[l].secondMoment();
        }
        KernelTime time = new KernelTime();
        time.addSequential(System.nanoTime() - started, Gemm.meter().since(products));
        return new Share(new ReplicaState(net, first, second, optimizers[0].steps()), samples, loss, positive,
                negative, settling, time, divergedLayer, divergedStep);
    }

    /**
     * The replicas averaged in partition order, each weighted by the samples it trained on: weights
     * and both Adam moments. The statistics are summed; the time is that of the slowest replica.
     */
    public static Share average(List<Share> shares) {
        Share first = shares.get(0);
        FFNetwork shape = first.state().network();
        int layers = shape.layers();
        long samples = 0;
        for (Share s : shares) {
            samples += s.samples();
        }
        float[][] params = new float[layers][];
        float[][] m = new float[layers][];
        float[][] v = new float[layers][];
        for (int l = 0; l < layers; l++) {
            int n = shape.parameterCount(l);
            params[l] = new float[n];
            m[l] = new float[n];
            v[l] = new float[n];
        }
        double[] loss = new double[layers];
        double[] positive = new double[layers];
        double[] negative = new double[layers];
        double[] settling = new double[first.settlingSums().length];
        KernelTime time = new KernelTime();
        int divergedLayer = -1;
        int divergedStep = Integer.MAX_VALUE;
        for (Share s : shares) {
            float w = samples == 0 ? 1f / shares.size() : (float) ((double) s.samples() / samples);
            for (int l = 0; l < layers; l++) {
                addScaled(params[l], s.state().network().parameters(l), w);
                addScaled(m[l], s.state().firstMoment(l), w);
                addScaled(v[l], s.state().secondMoment(l), w);
                loss[l] += s.lossSums()[l];
                positive[l] += s.positiveSums()[l];
                negative[l] += s.negativeSums()[l];
            }
            addInto(settling, s.settlingSums());
            time.addConcurrent(s.time());
            if (s.divergedLayer() >= 0 && s.divergedStep() < divergedStep) {
                divergedLayer = s.divergedLayer();
                divergedStep = s.divergedStep();
            }
        }
        FFNetwork averaged = shape.withParameters(params);
        return new Share(new ReplicaState(averaged, m, v, first.state().adamSteps()), samples, loss, positive,
                negative, settling, time, divergedLayer, divergedLayer < 0 ? -1 : divergedStep);
    }

    static void addInto(double[] sum, double[] values) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += values[i];
        }
    }

    private static void addScaled(float[] sum, float[] values, float weight) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += weight * values[i];
        }
    }
}
