package org.ffspark.train;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.ffspark.data.DataBlock;
import org.ffspark.model.FFNetwork;
import org.ffspark.optim.OptimizerSettings;
import org.ffspark.optim.OuterOptimizer;
import org.ffspark.partition.PartitionRound;
import org.ffspark.partition.ReplicaState;
import org.ffspark.partition.StepSettings;

/**
 * Rounds of replicas, one Spark job each: {@code sync=every:K} and {@code epoch} (averaging rounds) and
 * {@code sync=local:K} and {@code local} (local steps). The driver broadcasts its network, with every
 * block's optimizer state unless the copies start their rounds afresh; every partition advances its own
 * replica K steps ({@link PartitionRound}); the replicas are averaged in partition order
 * ({@link PartitionOrder}), weighted by the samples each trained on. Averaging rounds take the average
 * as it is; local steps merge it by the outer rule ({@link OuterOptimizer}), after their warm-up epochs,
 * in which one task trains one copy on all the blocks.
 */
final class ReplicaRounds {
    private ReplicaRounds() {
    }

    static EpochSums epoch(TrainingJobs jobs, Epoch e) {
        FFNetwork network = e.network();
        Sync sync = e.config().sync();
        EpochSums sums = new EpochSums(network);
        boolean oneCopy = sync.warmingUp(e.number());
        int steps = oneCopy ? e.steps() : e.copySteps();
        // A warm-up epoch: every block in one partition, one task walking the whole epoch's order.
        JavaRDD<DataBlock> blocks = oneCopy ? e.data().train().coalesce(1).glom().map(DataBlock::concat)
                : e.data().train();
        int k = sync.stepsPerRound(steps);
        int rounds = (steps + k - 1) / k;
        StepSettings settings = e.config().stepSettings();
        OptimizerSettings[] optimizers = e.config().optimizersAt(network, e.number());
        for (int round = 0; round < rounds; round++) {
            int first = round * k;
            PartitionRound.Plan plan = new PartitionRound.Plan(e.number(), first, Math.min(k, steps - first),
                    settings, optimizers, sync.local());
            jobs.checkNotCancelled(e.number(), first);
            jobs.describe("train " + e.label() + (sync.local() ? " local steps " : " steps ") + (first + 1) + "-"
                    + (first + plan.steps()) + "/" + steps);
            // Warm-up epochs carry their momentum on as partitions=1 would; local rounds may start afresh.
            ReplicaState state = sync.local() && sync.resetInner() && !oneCopy ? ReplicaState.weightsOnly(network)
                    : ReplicaState.of(network, e.optimizers());
            DriverValue<ReplicaState> start = DriverValue.of(jobs.sc(), state);
            Broadcast<int[]> order = e.order();
            BlockJobs.PerBlock<DataBlock, PartitionRound.Share> copySteps = (partition, block) ->
                    PartitionRound.run(start.value(), plan, block, order.value());
            PartitionRound.Share averaged;
            List<PartitionRound.Share> replicas = List.of();
            long driverStarted;
            try {
                if (blocks.getNumPartitions() <= PartitionOrder.DIRECT_PARTITIONS) {
                    replicas = BlockJobs.each(blocks, copySteps);
                    driverStarted = System.nanoTime();
                    averaged = PartitionRound.average(replicas);
                } else {
                    averaged = PartitionOrder.averageInSlices(blocks, copySteps, start,
                            sync.local() && sync.halfDeltas());
                    driverStarted = System.nanoTime();
                }
            } finally {
                start.destroy();
            }
            if (averaged.divergedLayer() >= 0) {
                throw new TrainingDivergedException("a weight or the loss", averaged.divergedLayer(), e.number(),
                        averaged.divergedStep() + 1);
            }
            if (sync.local() && !oneCopy) {
                FFNetwork average = averaged.state().network();
                for (int b = 0; b < network.blocks(); b++) {
                    e.outer().merge(b, network.parameters(b), average.parameters(b));
                }
                averaged.state().restoreOptimizers(e.optimizers());
                averaged.state().copyUnitMeans(network);
            } else {
                averaged.state().copyInto(network, e.optimizers());
            }
            if (jobs.sc().isLocal()) {
                // The replicas came over by reference and have been read: their arrays serve the next round.
                handBack(averaged, replicas);
            }
            sums.add(averaged);
            sums.timing = sums.timing.plus(1, averaged.samples(), averaged.time(),
                    (System.nanoTime() - driverStarted) / 1e9);
            e.stepsDone((int) ((long) e.steps() * (first + plan.steps()) / steps), sums.timing.samples());
        }
        return sums;
    }

    private static void handBack(PartitionRound.Share averaged, List<PartitionRound.Share> replicas) {
        averaged.state().handBack();
        for (PartitionRound.Share replica : replicas) {
            if (replica != averaged) {
                replica.state().handBack();
            }
        }
    }
}
