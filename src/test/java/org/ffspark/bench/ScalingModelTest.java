package org.ffspark.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.ffspark.optim.OuterSettings;
import org.ffspark.train.Sync;
import org.junit.jupiter.api.Test;

/** The scaling model's arithmetic, worked by hand on round numbers. */
class ScalingModelTest {
    // o = 10 ms, beta = 100 MB/s, t_add = 1 ns, separate machines.
    private static final ScalingModel MODEL = new ScalingModel(0.01, 1e8, 1, 1);
    // 60000 images in batches of 100, 1e6 weights (4 MB), with momentum (8 MB a copy), C = 60 s, t_opt 1 ns.
    private static final ScalingModel.Workload WORK = new ScalingModel.Workload(60000, 100, 1_000_000, 2, 60, 1);

    private static Sync local(int k) {
        return new Sync(Sync.Mode.LOCAL, k, OuterSettings.AVERAGE, false, 0, false);
    }

    @Test
    void localStepsDivideTheComputingAndPayARoundAnEpoch() {
        ScalingModel.Epoch one = MODEL.epoch(local(Sync.PER_EPOCH), WORK, 1);
        assertEquals(1, one.rounds());
        assertEquals(60, one.computing(), 1e-9);
        // o + broadcast 8 MB + one copy back: 0.01 + 0.08 + 0.08
        assertEquals(0.17, one.transfers(), 1e-9);
        // adding one copy of 2e6 floats, then the outer step over 1e6 weights
        assertEquals(0.003, one.driver(), 1e-9);
        ScalingModel.Epoch four = MODEL.epoch(local(Sync.PER_EPOCH), WORK, 4);
        assertEquals(15, four.computing(), 1e-9);
        assertEquals(0.01 + 0.08 + 4 * 0.08, four.transfers(), 1e-9);
    }

    @Test
    void roundsOfKLocalStepsCountTheCopysOwnSteps() {
        // 16 copies of 3750 images: 38 steps each; rounds of 10 make 4 rounds.
        assertEquals(4, MODEL.epoch(local(10), WORK, 16).rounds());
        // Past 8 copies they are averaged in slices: broadcast, the pieces' shuffle, the averaged slices
        // back, each one copy's bytes, and a stage of its own.
        ScalingModel.Epoch sixteen = MODEL.epoch(local(Sync.PER_EPOCH), WORK, 16);
        ScalingModel.Epoch one = MODEL.epoch(local(Sync.PER_EPOCH), WORK, 1);
        assertEquals(0.01 + 0.08 + 0.01 + 0.08 + 0.08, sixteen.transfers(), 1e-9);
        assertEquals(sixteen.transfers(), MODEL.epoch(local(Sync.PER_EPOCH), WORK, 64).transfers(), 1e-9,
                "whatever the number of copies");
        // each executor adds its slice's 16 pieces (one copy's 2e6 floats), then the outer step
        assertEquals(0.002 + 0.001, sixteen.driver(), 1e-9);
        // Changes in bfloat16: the shuffle and the averaged slices carry half the bytes.
        Sync half = new Sync(Sync.Mode.LOCAL, Sync.PER_EPOCH, OuterSettings.AVERAGE, false, 0, true);
        assertEquals(0.01 + 0.08 + 0.01 + 0.04 + 0.04, MODEL.epoch(half, WORK, 16).transfers(), 1e-9);
        assertEquals(one.transfers(), MODEL.epoch(half, WORK, 1).transfers(), 1e-9,
                "up to eight copies are sent whole");
    }

    @Test
    void averagingRoundsAddEveryCopysOptimizerStepsAndTheExactRuleARoundAStep() {
        Sync epoch = new Sync(Sync.Mode.ROUNDS, Sync.PER_EPOCH, OuterSettings.AVERAGE, false, 0, false);
        // C / 2 plus the copy's 600 steps over the weights it no longer shares: 600 * 1e6 * 1 ns * (1 - 1/2)
        assertEquals(30 + 0.3, MODEL.epoch(epoch, WORK, 2).computing(), 1e-9);
        ScalingModel.Epoch exact = MODEL.epoch(Sync.EXACT, WORK, 2);
        assertEquals(600, exact.rounds());
        // a step: o + 4 MB out + two gradients back
        assertEquals(600 * (0.01 + 0.04 + 2 * 0.04), exact.transfers(), 1e-9);
    }

    @Test
    void sharedCoresSlowOnlyTasksThatRunTogether() {
        ScalingModel shared = new ScalingModel(0.01, 1e8, 1, 1.5);
        assertEquals(60, shared.epoch(local(Sync.PER_EPOCH), WORK, 1).computing(), 1e-9, "one task has the machine");
        assertEquals(45, shared.epoch(local(Sync.PER_EPOCH), WORK, 2).computing(), 1e-9, "30 s each, 1.5 times slower");
    }
}
