package org.ffspark.train;

import java.io.Serializable;
import org.ffspark.optim.OuterSettings;

/**
 * How the partitions' work becomes one network ({@code sync} and the outer keys).
 *
 * <ul>
 *   <li>{@link Mode#ROUNDS}: the epoch's batches as the exact rule takes them; every partition takes
 *   each step on its members of the batch. {@code every:1} sums the shares every step (the exact rule);
 *   {@code every:K} and {@code epoch} let each partition advance its own copy K steps (or a whole epoch)
 *   between averaging rounds.</li>
 *   <li>{@link Mode#LOCAL}: local steps. Every partition walks its own share of the epoch's order in full
 *   batches, so a copy takes about {@code n / N} steps an epoch; after K of them (or at the end of the
 *   epoch) the copies are merged by the outer rule.</li>
 * </ul>
 *
 * @param steps      K: steps per round; {@link #PER_EPOCH} for one round an epoch
 * @param outer      how the copies merge in local steps (rounds average)
 * @param resetInner whether each copy starts a round of local steps with fresh optimizer state instead
 *                   of the copies' averaged state
 * @param warmup     local steps' first epochs trained as one copy: a single task walks the whole epoch in
 *                   order, all the partitions' blocks together, before the copies start
 * @param halfDeltas whether local steps' copies, past eight partitions, send their changes in bfloat16
 */
public record Sync(Mode mode, int steps, OuterSettings outer, boolean resetInner, int warmup, boolean halfDeltas)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    public enum Mode { ROUNDS, LOCAL }

    /** One round per epoch, however many steps it has. */
    public static final int PER_EPOCH = 0;

    /** The exact synchronous rule, {@code sync=every:1}. */
    public static final Sync EXACT = new Sync(Mode.ROUNDS, 1, OuterSettings.AVERAGE, false, 0, false);

    public boolean exact() {
        return mode == Mode.ROUNDS && steps == 1;
    }

    public boolean local() {
        return mode == Mode.LOCAL;
    }

    /** Whether {@code epoch} (1-based) is one of local steps' warm-up epochs, trained as one copy. */
    public boolean warmingUp(int epoch) {
        return local() && epoch <= warmup;
    }

    /** Optimizer steps per round in an epoch whose copies take {@code stepsPerEpoch} steps. */
    public int stepsPerRound(int stepsPerEpoch) {
        return steps == PER_EPOCH ? stepsPerEpoch : Math.min(steps, stepsPerEpoch);
    }

    /** The setting as the {@code sync} key writes it. */
    public String text() {
        String prefix = mode == Mode.LOCAL ? "local" : "every";
        if (steps == PER_EPOCH) {
            return mode == Mode.LOCAL ? "local" : "epoch";
        }
        return prefix + ":" + steps;
    }

    /** As the run's header line shows it: the sync setting with the outer rule of local steps. */
    public String description() {
        if (!local()) {
            return text();
        }
        return text() + " (" + outer + (resetInner ? ", inner state reset" : "") + (halfDeltas ? "" : ", float32 changes")
                + (warmup > 0 ? ", " + warmup + (warmup == 1 ? " epoch" : " epochs") + " as one copy first" : "") + ")";
    }
}
