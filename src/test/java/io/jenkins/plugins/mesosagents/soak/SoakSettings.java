package io.jenkins.plugins.mesosagents.soak;

import java.time.Duration;
import java.util.List;

/**
 * What one chaos soak does: how many agents it launches on how many simulated hosts, how many it
 * keeps busy at once, how often each fault comes, when the Jenkins side restarts, and the seed that
 * makes the fault schedule and the demand replayable. {@link #longRun} is the benchmark's, {@link
 * #shortRun} the one {@code mvn verify} runs.
 *
 * @param launches agents that must come online before the demand stops
 * @param minDuration the demand goes on at least this long, even after {@code launches}
 * @param maxDuration the demand stops after this even if {@code launches} was not reached (the
 *     report then says so)
 * @param concurrency requests the Jenkins stand-in keeps live (planned, launching or online)
 * @param failoverEvery mean time between leader failovers (each ±25 %)
 * @param faultEvery mean time between other faults (each ±50 %)
 * @param checkpointEvery how often the figures are taken
 * @param restartAfter the Jenkins-side restart happens when this many agents came online
 * @param launchTimeout every template's launch timeout
 * @param settle how long the end of the run waits for the last requests and kills
 */
public record SoakSettings(
        long seed,
        int hosts,
        int launches,
        Duration minDuration,
        Duration maxDuration,
        int concurrency,
        Duration failoverEvery,
        Duration faultEvery,
        Duration checkpointEvery,
        int restartAfter,
        Duration launchTimeout,
        Duration settle,
        List<FailoverKind> failoverKinds) {

    public SoakSettings {
        failoverKinds = List.copyOf(failoverKinds);
    }

    /**
     * The seed: the {@code soak.seed} system property (or {@code SOAK_SEED} in the environment,
     * which JMH's forked JVM inherits), else a fresh one.
     */
    public static long seedFromEnvironment() {
        String s = System.getProperty("soak.seed", System.getenv("SOAK_SEED"));
        return s == null || s.isBlank()
                ? System.nanoTime() ^ System.currentTimeMillis()
                : Long.parseLong(s.trim());
    }

    /** The 2-minute run in {@code mvn verify}: about 90 s of chaos on 50 hosts. */
    public static SoakSettings shortRun(long seed) {
        return new SoakSettings(
                seed,
                50,
                Integer.getInteger("soak.launches", 10_000),
                Duration.ZERO,
                Duration.ofSeconds(Long.getLong("soak.seconds", 75)),
                16,
                Duration.ofSeconds(20),
                Duration.ofMillis(1500),
                Duration.ofSeconds(15),
                Integer.getInteger("soak.restartAfter", 60),
                Duration.ofSeconds(20),
                Duration.ofSeconds(40),
                List.of(FailoverKind.LEADER_DIES));
    }

    /**
     * The long run: at least 2,000 agents and at least 10 minutes ({@code SOAK_MINUTES}) on 60
     * hosts, a failover about every 30 s.
     */
    public static SoakSettings longRun(long seed) {
        int launches = Integer.getInteger("soak.launches", envInt("SOAK_LAUNCHES", 2_000));
        return new SoakSettings(
                seed,
                60,
                launches,
                Duration.ofMinutes(envInt("SOAK_MINUTES", 10)),
                Duration.ofMinutes(60),
                40,
                Duration.ofSeconds(30),
                Duration.ofSeconds(2),
                Duration.ofSeconds(60),
                launches / 2,
                Duration.ofSeconds(30),
                Duration.ofSeconds(90),
                List.of(FailoverKind.LEADER_DIES));
    }

    private static int envInt(String name, int otherwise) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? otherwise : Integer.parseInt(v.trim());
    }
}
