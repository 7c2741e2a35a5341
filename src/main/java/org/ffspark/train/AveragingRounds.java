package org.ffspark.train;

import java.util.List;
import org.apache.spark.broadcast.Broadcast;
import org.ffspark.model.FFNetwork;
import org.ffspark.optim.OptimizerSettings;
import org.ffspark.partition.PartitionRound;
import org.ffspark.partition.ReplicaState;
import org.ffspark.partition.StepSettings;

/**
 * {@code sync=every:K} and {@code sync=epoch}: one Spark job per round of K steps. The driver broadcasts
 * its network with every block's optimizer state; every partition advances its own replica K steps
 * ({@link PartitionRound}); the replicas are averaged in partition order ({@link PartitionOrder}) and
 * become the driver's network and optimizer state.
 */
final class AveragingRounds {
    private AveragingRounds() {
    }

    static EpochSums epoch(TrainingJobs jobs, Epoch e) {
        FFNetwork network = e.network();
        EpochSums sums = new EpochSums(network);
        int steps = e.steps();
        int k = e.config().stepsPerRound(steps);
        int rounds = (steps + k - 1) / k;
        StepSettings settings = e.config().stepSettings();
        OptimizerSettings[] optimizers = e.config().optimizersAt(network, e.number());
        for (int round = 0; round < rounds; round++) {
            int first = round * k;
            PartitionRound.Plan plan = new PartitionRound.Plan(e.number(), first, Math.min(k, steps - first),
                    settings, optimizers);
            jobs.checkNotCancelled(e.number(), first);
            jobs.describe("train " + e.label() + " steps " + (first + 1) + "-" + (first + plan.steps()) + "/" + steps);
            Broadcast<ReplicaState> start = jobs.sc().broadcast(ReplicaState.of(network, e.optimizers()));
            Broadcast<int[]> order = e.order();
            List<PartitionRound.Share> replicas;
            try {
                replicas = PartitionOrder.results(e.data().train(), (partition, block) ->
                        PartitionRound.run(start.value(), plan, block, order.value()), PartitionRound::average);
            } finally {
                start.destroy();
            }
            long driverStarted = System.nanoTime();
            // Past the direct partitions these are groups' averages, each weighted by its samples.
            PartitionRound.Share averaged = PartitionRound.average(replicas);
            if (averaged.divergedLayer() >= 0) {
                throw new TrainingDivergedException("a weight or the loss", averaged.divergedLayer(), e.number(),
                        averaged.divergedStep() + 1);
            }
            averaged.state().copyInto(network, e.optimizers());
            sums.add(averaged);
            sums.timing = sums.timing.plus(1, averaged.samples(), averaged.time(),
                    (System.nanoTime() - driverStarted) / 1e9);
            e.stepsDone(first + plan.steps(), sums.timing.samples());
        }
        return sums;
    }
}
