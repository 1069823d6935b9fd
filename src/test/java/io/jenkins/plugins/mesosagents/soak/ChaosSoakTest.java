package io.jenkins.plugins.mesosagents.soak;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * The 2-minute chaos soak ({@link SoakSettings#shortRun}): about 75 s of agents coming and going
 * on 50 simulated hosts under every kind of fault, a Jenkins restart once 60 agents came online,
 * then a settle. Replay a failure with {@code -Dsoak.seed=<the printed seed>}. The long run is
 * {@code ChaosSoakBenchmark}.
 */
class ChaosSoakTest {
    @TempDir Path dir;

    @Test
    void nothingIsLostOrphanedOrLaunchedTwiceUnderChaos() throws Exception {
        SoakSettings settings = SoakSettings.shortRun(SoakSettings.seedFromEnvironment());
        ChaosSoak.Result r = new ChaosSoak(settings, System.out::println).run(dir);
        String seed = "seed " + r.seed() + " (replay: -Dsoak.seed=" + r.seed() + ")";

        ChaosSoak.Checkpoint end = r.end();
        assertThat(end.online()).as("agents online, " + seed).isGreaterThanOrEqualTo(100);
        assertThat(end.orphans()).as("orphaned tasks, " + seed).isZero();
        assertThat(end.onPartitionedAgents()).as("tasks left on partitioned agents, " + seed).isZero();
        assertThat(end.unresolved()).as("requests neither online nor failed, " + seed).isZero();
        assertThat(end.failedWithoutReason()).as("failures without a reason, " + seed).isZero();
        assertThat(end.duplicates()).as("duplicate launches, " + seed).isZero();
        assertThat(end.unacknowledged()).as("unacknowledged updates, " + seed).isZero();

        assertThat(r.restart()).as("the restart happened, " + seed).isNotNull();
        // faults are held while the restart is measured, so every agent online at the restart
        // must run on with the same process
        assertThat(r.restart().onlineAtRestart()).as(seed).isPositive();
        assertThat(r.restart().keptRunning())
                .as("agents kept across the restart, " + seed)
                .isEqualTo(r.restart().onlineAtRestart());
        // converged within one round: one implicit RECONCILE (a second round, or the round sent
        // again, would send another)
        assertThat(r.restart().reconcileCalls())
                .as("RECONCILE calls until the new session converged, " + seed)
                .containsOnlyOnce("implicit");
        assertThat(r.restart().killedWithoutReason()).as(seed).isZero();

        assertThat(r.faults().keySet())
                .as("fault kinds injected, " + seed)
                .contains("failover leader-dies", "dropped streams", "stalled streams");
        // flat heap: the last checkpoint holds at most 64 MB more than the first (the simulator
        // keeps every task it ever launched, a few KB each)
        long first = r.checkpoints().get(0).heapAfterGcMb();
        assertThat(end.heapAfterGcMb()).as("heap after GC, " + seed).isLessThan(first + 64);
    }
}
