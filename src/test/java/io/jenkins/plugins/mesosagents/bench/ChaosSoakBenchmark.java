package io.jenkins.plugins.mesosagents.bench;

import io.jenkins.plugins.mesosagents.soak.ChaosSoak;
import io.jenkins.plugins.mesosagents.soak.SoakSettings;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

/**
 * The long chaos soak ({@link SoakSettings#longRun}: at least 2,000 agents on 60 hosts, a leader
 * failover about every 30 s, every other fault about every 2 s, a Jenkins restart half way) as one
 * JMH single shot in a fresh JVM. The score is the wall time; the counters are the end figures that
 * must be zero, the agents online, and the heap slope. The full report (every checkpoint, the
 * faults, the seed) is printed by the soak. Run: {@code mvn -B -Pbench test-compile exec:exec
 * -Dbench=ChaosSoakBenchmark}; replay a seed with {@code SOAK_SEED=<seed>} in the environment (JMH's
 * forked JVM inherits it), fewer launches with {@code SOAK_LAUNCHES=<n>}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@State(Scope.Thread)
public class ChaosSoakBenchmark {
    /** The end figures of the run. */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Figures {
        public long seed;
        public long online;
        public long tasksLaunched;
        public long orphans;
        public long unresolved;
        public long duplicates;
        public long unacknowledged;
        public long keptAtRestart;
        public long onlineAtRestart;
        public double heapSlopeMbPerMin;
        public double loopP99Ms;

        @Setup(Level.Iteration)
        public void clear() {
            seed = 0;
            online = 0;
            tasksLaunched = 0;
            orphans = 0;
            unresolved = 0;
            duplicates = 0;
            unacknowledged = 0;
            keptAtRestart = 0;
            onlineAtRestart = 0;
            heapSlopeMbPerMin = 0;
            loopP99Ms = 0;
        }
    }

    @Benchmark
    public ChaosSoak.Result soak(Figures out) throws Exception {
        SoakSettings settings = SoakSettings.longRun(SoakSettings.seedFromEnvironment());
        ChaosSoak.Result r =
                new ChaosSoak(settings, System.out::println)
                        .run(Files.createTempDirectory("chaos-soak"));
        ChaosSoak.Checkpoint end = r.end();
        out.seed = r.seed();
        out.online = end.online();
        out.tasksLaunched = end.tasksLaunched();
        out.orphans = end.orphans() + end.onPartitionedAgents();
        out.unresolved = end.unresolved() + end.failedWithoutReason();
        out.duplicates = end.duplicates();
        out.unacknowledged = end.unacknowledged();
        out.keptAtRestart = r.restart() == null ? -1 : r.restart().keptRunning();
        out.onlineAtRestart = r.restart() == null ? -1 : r.restart().onlineAtRestart();
        out.heapSlopeMbPerMin = r.heapSlopeMbPerMin();
        out.loopP99Ms =
                r.checkpoints().stream().mapToDouble(ChaosSoak.Checkpoint::loopP99Ms).max().orElse(-1);
        return r;
    }
}
