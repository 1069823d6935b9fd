package io.jenkins.plugins.mesosagents.bench;

import io.jenkins.plugins.mesosagents.testcluster.demo.WarmPoolReplay;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The {@link WarmPoolReplay} day replayed once per warm-pool mode (off, static, adaptive), each in
 * a fresh JVM on a fresh test-cluster with real demo agents, same seed. The score (the whole shot)
 * is not the result; the counters are: queue → build start p50/p95/p99 in ms per label ({@code
 * steady}, {@code bursty}, {@code rare}), agent-minutes and idle agent-minutes. Run: {@code mvn -B
 * -Pbench test-compile exec:exec -Dbench=WarmPoolBenchmark} (≈ 3 × 6 min); {@code
 * -Djmh.ignoreLock=true} is not needed. Day length and seed: {@code warmpool.daySeconds} (300),
 * {@code warmpool.seed} (7), passed to the forks by JMH's {@code -jvmArgs}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@State(Scope.Thread)
public class WarmPoolBenchmark {
    @Param({"off", "static", "adaptive"})
    public String mode;

    /** What one replayed day measured. */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Day {
        public double steadyP50Ms;
        public double steadyP95Ms;
        public double steadyP99Ms;
        public double burstyP50Ms;
        public double burstyP95Ms;
        public double burstyP99Ms;
        public double rareP95Ms;
        public double agentMinutes;
        public double idleAgentMinutes;
        public long builds;
        public long failed;

        @Setup(Level.Iteration)
        public void clear() {
            steadyP50Ms = steadyP95Ms = steadyP99Ms = 0;
            burstyP50Ms = burstyP95Ms = burstyP99Ms = rareP95Ms = 0;
            agentMinutes = idleAgentMinutes = 0;
            builds = failed = 0;
        }
    }

    @Benchmark
    public WarmPoolReplay.Result day(Day out) throws Exception {
        WarmPoolReplay.Result r =
                WarmPoolReplay.run(
                        mode,
                        Long.getLong("warmpool.seed", 7),
                        Duration.ofSeconds(Long.getLong("warmpool.daySeconds", 300)),
                        Files.createTempDirectory("warm-pool-" + mode),
                        System.out);
        double[] steady = r.waits("steady");
        double[] bursty = r.waits("bursty");
        out.steadyP50Ms = steady[0];
        out.steadyP95Ms = steady[1];
        out.steadyP99Ms = steady[2];
        out.burstyP50Ms = bursty[0];
        out.burstyP95Ms = bursty[1];
        out.burstyP99Ms = bursty[2];
        out.rareP95Ms = r.waits("rare")[1];
        out.agentMinutes = r.agentMinutes();
        out.idleAgentMinutes = r.idleAgentMinutes();
        out.builds = r.builds();
        out.failed = r.failed();
        return r;
    }
}
