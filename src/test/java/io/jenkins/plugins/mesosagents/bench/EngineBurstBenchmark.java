package io.jenkins.plugins.mesosagents.bench;

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
import java.util.concurrent.TimeUnit;

/**
 * The {@link EngineBurstE2E} burst as a JMH single shot per strategy, so that the engine and the
 * first-fit baseline run in the same JMH run, each in a fresh JVM on a fresh simulated cluster. The
 * score (time of the whole shot, cluster start included) is not the result; the counters are:
 * {@code offerRounds}, {@code wallToRunningMs}, {@code launchP50Ms}, {@code launchP99Ms}, {@code
 * launchMaxMs}, {@code hostsUsed}, {@code hostsLowerBound}. Run: {@code mvn -B -Pbench test-compile
 * exec:exec -Dbench=EngineBurstBenchmark}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 1)
@Measurement(iterations = 1)
@State(Scope.Thread)
public class EngineBurstBenchmark {
    @Param({"engine", "firstFitBaseline"})
    public String strategy;

    /** Calls leave the Mesos client one at a time, in order, whatever the base client allows. */
    private static final int MAX_REQUESTS_PER_HOST = 5;

    /** What one burst measured. */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Burst {
        public long offerRounds;
        public long wallToRunningMs;
        public double launchP50Ms;
        public double launchP99Ms;
        public double launchMaxMs;
        public double wireP50Ms;
        public double wireP99Ms;
        public long hostsUsed;
        public long hostsLowerBound;

        @Setup(Level.Iteration)
        public void clear() {
            offerRounds = 0;
            wallToRunningMs = 0;
            launchP50Ms = 0;
            launchP99Ms = 0;
            launchMaxMs = 0;
            wireP50Ms = 0;
            wireP99Ms = 0;
            hostsUsed = 0;
            hostsLowerBound = 0;
        }
    }

    @Benchmark
    public EngineBurstE2E.Result burst(Burst out) throws Exception {
        EngineBurstE2E.Result r =
                EngineBurstE2E.run(
                        Files.createTempDirectory("engine-burst-" + strategy),
                        strategy.equals("firstFitBaseline"),
                        MAX_REQUESTS_PER_HOST);
        out.offerRounds = r.offerRounds();
        out.wallToRunningMs = r.wallMillis();
        out.launchP50Ms = r.p50Millis();
        out.launchP99Ms = r.p99Millis();
        out.launchMaxMs = r.maxMillis();
        out.wireP50Ms = r.wireP50Millis();
        out.wireP99Ms = r.wireP99Millis();
        out.hostsUsed = r.hostsUsed();
        out.hostsLowerBound = r.hostsLowerBound();
        System.out.println(r);
        return r;
    }
}
