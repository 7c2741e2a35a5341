package org.ffspark.partition;

import java.io.Serializable;
import java.util.List;
import org.ffspark.data.DataBlock;
import org.ffspark.linalg.Gemm;
import org.ffspark.linalg.KernelTime;
import org.ffspark.linalg.StepProfile;
import org.ffspark.model.FFNetwork;
import org.ffspark.model.LayerGradients;
import org.ffspark.model.PeerNormalisation;
import org.ffspark.model.SimpleFFNetwork;
import org.ffspark.optim.Optimizer;
import org.ffspark.optim.OptimizerSettings;

/**
 * What one partition does in a round of averaging rounds or local steps, free of Spark: starting from
 * the broadcast state, take K optimizer steps of its own, each with the gradient averaged over its
 * members of the step. In averaging rounds ({@code sync=every:K}) step s takes its members of the
 * epoch's batch s (the samples and wrong labels the synchronous rule would use); in local steps
 * ({@code sync=local:K}) step s takes the partition's own batch s, the s-th run of {@code batchSize} of
 * its share of the epoch's order. The driver then merges the replicas ({@link #average}).
 *
 * <p>With one partition both are exactly K synchronous steps; with more, the replicas drift apart for
 * K steps, which is the accuracy price of talking K times less.
 */
public final class PartitionRound {
    private PartitionRound() {
    }

    /**
     * A round of steps: {@code firstStep .. firstStep + steps - 1} of {@code epoch}, each block's
     * optimizer at the epoch's settings.
     *
     * @param ownBatches whether the steps are the partition's own batches (local steps) rather than its
     *                   members of the epoch's batches
     */
    public record Plan(int epoch, int firstStep, int steps, StepSettings settings, OptimizerSettings[] optimizers,
                       boolean ownBatches) implements Serializable {
        private static final long serialVersionUID = 2L;
    }

    /** A replica after its round, with the figures of the steps it took. */
    public record Share(ReplicaState state, long samples, double[] lossSums, double[] positiveSums,
                        double[] negativeSums, double[] settlingSums, KernelTime time, int divergedLayer,
                        int divergedStep)
            implements Serializable {
    }

    /** One optimizer step on block {@code b}, adding the gradient's deferred parts in the same pass. */
    private static void stepAndClear(Optimizer optimizer, float[] parameters, LayerGradients gradients, int b) {
        if (gradients.deferred(b)) {
            optimizer.stepAndClear(parameters, gradients.gradientWithoutDeferred(b), gradients.deferredRowCount(b),
                    gradients.deferredColumnCount(b), gradients.deferredRows(b));
            gradients.deferredAdded(b);
        } else {
            optimizer.stepAndClear(parameters, gradients.gradient(b));
        }
    }

    /**
     * Runs the plan's steps on the block's members. A step in which the block has no member (or, in
     * local steps, past the end of its share) leaves the replica as it is; its optimizers still count
     * the step, so that bias corrections stay in step with the other replicas.
     */
    public static Share run(ReplicaState start, Plan plan, DataBlock block, int[] order) {
        long started = System.nanoTime();
        Gemm.Meter products = Gemm.meter().copy();
        FFNetwork net = start.network().copy();
        Optimizer[] optimizers = start.optimizers(plan.optimizers());
        int layers = net.layers();
        int blocks = net.blocks();
        double[] loss = new double[blocks];
        double[] positive = new double[layers];
        double[] negative = new double[layers];
        LayerGradients gradients = reusableGradients(net, plan.settings().learning().tracksActivity());
        double[] settling = new double[LayerGradients.settlingLength(net)];
        long samples = 0;
        int divergedLayer = -1;
        int divergedStep = -1;
        int lastStep = plan.firstStep();
        int[] visits = plan.ownBatches() ? PartitionStep.ownShare(block, order) : order;
        for (int step = plan.firstStep(); step < plan.firstStep() + plan.steps() && divergedLayer < 0; step++) {
            gradients.clearStatistics(); // the arrays: zeroed by each optimizer step as it reads them
            int members = PartitionStep.localGradient(net, block, visits, plan.epoch(), step, plan.settings(),
                    gradients);
            if (members == 0) {
                for (Optimizer optimizer : optimizers) {
                    optimizer.skipStep();
                }
                continue;
            }
            for (int b = 0; b < blocks; b++) {
                // A weight gone NaN or infinite shows in the next step's loss (and at the round's end).
                if (!Double.isFinite(gradients.loss(b)) && divergedLayer < 0) {
                    divergedLayer = b;
                    divergedStep = step;
                }
                stepAndClear(optimizers[b], net.parameters(b), gradients, b);
                // The kernel's loss is the mean over the members: weigh it back to a sum over samples.
                loss[b] += gradients.loss(b) * members;
            }
            for (int l = 0; l < layers; l++) {
                positive[l] += gradients.positiveGoodnessSum(l);
                negative[l] += gradients.negativeGoodnessSum(l);
            }
            if (net instanceof SimpleFFNetwork simple) {
                long t = StepProfile.start();
                PeerNormalisation.update(simple, gradients);
                StepProfile.add("peer normalisation's running means", t, 0);
            }
            addInto(settling, gradients.settlingSums());
            samples += members;
            lastStep = step;
        }
        for (int b = 0; b < blocks && divergedLayer < 0; b++) {
            if (!Optimizer.allFinite(net.parameters(b))) {
                divergedLayer = b;
                divergedStep = lastStep;
            }
        }
        GRADIENTS.get().clean = true;
        // A round that started without the optimizers' state sends none back: it is reset every round.
        ReplicaState end = start.hasOptimizerState() ? ReplicaState.of(net, optimizers) : ReplicaState.weightsOnly(net);
        KernelTime time = new KernelTime();
        time.addSequential(System.nanoTime() - started, Gemm.meter().since(products));
        return new Share(end, samples, loss, positive, negative, settling, time, divergedLayer, divergedStep);
    }

    /** A thread's gradient arrays, kept between rounds: allocating the network's size every round costs. */
    private static final class Gradients {
        private LayerGradients arrays;
        private FFNetwork shape;
        private boolean activity;
        /** Whether the arrays are all zeros, as a round that ended normally leaves them. */
        private boolean clean;
    }

    private static final ThreadLocal<Gradients> GRADIENTS = ThreadLocal.withInitial(Gradients::new);

    /**
     * Zeroed gradient arrays for {@code net}: this thread's from its last round when of the same shape
     * (every optimizer step zeroes them as it reads them), else new ones.
     */
    private static LayerGradients reusableGradients(FFNetwork net, boolean activity) {
        Gradients kept = GRADIENTS.get();
        boolean sameShape = kept.arrays != null && kept.activity == activity && kept.shape.blocks() == net.blocks()
                && java.util.Arrays.equals(kept.shape.widths(), net.widths()) && kept.shape.inputSize() == net.inputSize()
                && kept.shape.getClass() == net.getClass();
        for (int b = 0; sameShape && b < net.blocks(); b++) {
            sameShape = kept.shape.parameterCount(b) == net.parameterCount(b);
        }
        if (!sameShape) {
            kept.arrays = new LayerGradients(net, activity);
            kept.shape = net;
            kept.activity = activity;
        } else if (!kept.clean) {
            for (int b = 0; b < net.blocks(); b++) {
                java.util.Arrays.fill(kept.arrays.gradient(b), 0f);
            }
        }
        kept.clean = false;
        return kept.arrays;
    }

    /**
     * The replicas averaged in partition order, each weighted by the samples it trained on: weights
     * and both Adam moments. The statistics are summed; the time is that of the slowest replica.
     */
    public static Share average(List<Share> shares) {
        Share first = shares.get(0);
        if (shares.size() == 1) {
            return first; // its own average: weighing it by 1 would only copy it
        }
        FFNetwork shape = first.state().network();
        int layers = shape.layers();
        int blocks = shape.blocks();
        long samples = 0;
        for (Share s : shares) {
            samples += s.samples();
        }
        boolean moments = first.state().hasOptimizerState();
        float[][] params = new float[blocks][];
        float[][] m = moments ? new float[blocks][] : null;
        float[][] v = moments ? new float[blocks][] : null;
        for (int b = 0; b < blocks; b++) {
            params[b] = new float[shape.parameterCount(b)];
            if (moments) {
                m[b] = new float[first.state().firstMoment(b).length];
                v[b] = new float[first.state().secondMoment(b).length];
            }
        }
        float[][] means = shape instanceof SimpleFFNetwork simple ? new float[layers][] : new float[0][];
        for (int l = 0; l < means.length; l++) {
            means[l] = new float[shape.width(l)];
        }
        double[] loss = new double[blocks];
        double[] positive = new double[layers];
        double[] negative = new double[layers];
        double[] settling = new double[first.settlingSums().length];
        KernelTime time = new KernelTime();
        int divergedLayer = -1;
        int divergedStep = Integer.MAX_VALUE;
        for (Share s : shares) {
            float w = samples == 0 ? 1f / shares.size() : (float) ((double) s.samples() / samples);
            for (int b = 0; b < blocks; b++) {
                addScaled(params[b], s.state().network().parameters(b), w);
                if (moments) {
                    addScaled(m[b], s.state().firstMoment(b), w);
                    addScaled(v[b], s.state().secondMoment(b), w);
                }
                loss[b] += s.lossSums()[b];
            }
            for (int l = 0; l < layers; l++) {
                positive[l] += s.positiveSums()[l];
                negative[l] += s.negativeSums()[l];
            }
            for (int l = 0; l < means.length; l++) {
                addScaled(means[l], ((SimpleFFNetwork) s.state().network()).unitMeans(l), w);
            }
            addInto(settling, s.settlingSums());
            time.addConcurrent(s.time());
            if (s.divergedLayer() >= 0 && s.divergedStep() < divergedStep) {
                divergedLayer = s.divergedLayer();
                divergedStep = s.divergedStep();
            }
        }
        FFNetwork averaged = shape.withParameters(params);
        for (int l = 0; l < means.length; l++) {
            System.arraycopy(means[l], 0, ((SimpleFFNetwork) averaged).unitMeans(l), 0, means[l].length);
        }
        return new Share(new ReplicaState(averaged, m, v, first.state().optimizerSteps()), samples, loss, positive,
                negative, settling, time, divergedLayer, divergedLayer < 0 ? -1 : divergedStep);
    }

    public static void addInto(double[] sum, double[] values) {
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
