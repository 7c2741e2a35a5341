package org.ffspark.bench;

import org.ffspark.train.Sync;

/**
 * The cost of a training epoch on N one-core executors (docs/scaling.md): each copy's computing, which
 * the executors divide, plus every round's synchronisation, which they do not. Spark-free arithmetic on
 * inputs measured elsewhere (a run's {@code metrics.jsonl}, the bench's optimizer line).
 *
 * @param jobSeconds      {@code o}: scheduling one job and launching its tasks
 * @param bytesPerSecond  {@code beta}: moving bytes between the driver and an executor (serialising,
 *                        the wire, deserialising), as a one-executor run shows it
 * @param addNanos        {@code t_add}: adding one float of a copy into an average
 * @param contention      how much slower each task computes when the N executors share one machine's
 *                        cores (1 on separate machines)
 */
public record ScalingModel(double jobSeconds, double bytesPerSecond, double addNanos, double contention) {
    /**
     * Up to this many partitions the driver receives each result; beyond, gradients come in groups of
     * about sqrt(N), and copies averaged in slices.
     */
    static final int DIRECT_PARTITIONS = 8;

    /**
     * What one epoch of a configuration does, apart from where it runs.
     *
     * @param samples        training images of the epoch
     * @param batchSize      images a step
     * @param weights        parameters of the network, W
     * @param stateFloats    floats a weight carries in a round's broadcast and results: 1 (the weights), 2
     *                       (with SGD's momentum) or 3 (with Adam's two moments)
     * @param coreSeconds    {@code C}: one core's computing of the whole epoch, on all its images: products,
     *                       goodness, and, in rounds and local steps, the copy's own optimizer steps
     * @param optimizerNanos {@code t_opt}: one optimizer step's cost a weight
     */
    public record Workload(int samples, int batchSize, long weights, int stateFloats, double coreSeconds,
                           double optimizerNanos) {
    }

    /** An epoch's predicted seconds and where they go. */
    public record Epoch(int executors, int rounds, double computing, double transfers, double driver) {
        public double seconds() {
            return computing + transfers + driver;
        }
    }

    /** The same model for executors that slow each other's computing by {@code slower}. */
    public ScalingModel withContention(double slower) {
        return new ScalingModel(jobSeconds, bytesPerSecond, addNanos, slower);
    }

    /** Rounds (jobs) of an epoch: a step each for the exact rule, else the copies' steps over K. */
    static int rounds(Sync sync, Workload w, int executors) {
        int copySteps = copySteps(sync, w, executors);
        return (copySteps + sync.stepsPerRound(copySteps) - 1) / sync.stepsPerRound(copySteps);
    }

    /** Steps each copy takes in an epoch: all of them, or in local steps those of its own share. */
    static int copySteps(Sync sync, Workload w, int executors) {
        int share = sync.local() ? (w.samples() + executors - 1) / executors : w.samples();
        return (share + w.batchSize() - 1) / w.batchSize();
    }

    public Epoch epoch(Sync sync, Workload w, int n) {
        int steps = (w.samples() + w.batchSize() - 1) / w.batchSize();
        int rounds = rounds(sync, w, n);
        double optimizer = w.weights() * w.optimizerNanos() * 1e-9;
        // Each copy computes its share of the epoch's images; in averaging rounds every copy also takes
        // every step's optimizer update over all the weights, which no number of executors divides.
        // One task alone on the machine computes at full speed: contention slows only tasks that share it.
        double slower = n > 1 ? contention : 1;
        double computing = w.coreSeconds() / n * slower;
        if (!sync.exact() && !sync.local()) {
            computing += (double) steps * optimizer * (1 - 1.0 / n) * slower;
        }
        double bytes = 4.0 * w.weights() * (sync.exact() ? 1 : w.stateFloats());
        double hop = bytes / bytesPerSecond;
        double round;
        double adding;
        if (n <= DIRECT_PARTITIONS) {
            // The driver receives every result and adds them.
            round = jobSeconds + hop + n * hop;
            adding = n * (bytes / 4) * addNanos * 1e-9;
        } else if (sync.exact()) {
            // Gradients summed in groups of about sqrt(N) on the executors, the groups' sums by the driver.
            int received = (int) Math.ceil(Math.sqrt(n));
            round = 2 * jobSeconds + hop + 2 * received * hop;
            adding = 2 * received * (bytes / 4) * addNanos * 1e-9;
        } else {
            // Copies averaged in slices: each executor sends its copy in pieces and receives every copy's
            // piece of one slice (both about one copy's bytes, all executors at once), adds them, and the
            // driver receives the averaged slices, one copy's bytes; local steps' changes in bfloat16 are
            // half of that both ways.
            double sliced = sync.local() && sync.halfDeltas() ? hop / 2 : hop;
            round = 2 * jobSeconds + hop + sliced + sliced;
            adding = (bytes / 4) * addNanos * 1e-9;
        }
        // The exact rule's optimizer step runs on the driver; a local round's outer step is one more pass.
        double driverPerRound = adding + (sync.exact() ? optimizer : sync.local() ? optimizer : 0);
        return new Epoch(n, rounds, computing, rounds * round, rounds * driverPerRound);
    }
}
