package io.jenkins.plugins.mesosagents.engine;

import io.jenkins.plugins.mesosagents.MutableClock;

import org.apache.mesos.v1.scheduler.Protos.Call;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A deterministic rig around a real {@link ProvisioningEngine}: a clock that moves only when told,
 * a direct executor, an outbox that records calls, a Jenkins port that records what it is told, and
 * an in-memory store.
 */
final class EngineHarness {
    static final String SECRET = "5ec7e75ec7e7deadbeef5ec7e75ec7e7";

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final List<Call> calls = new ArrayList<>();

    /**
     * Call types the "master" refuses (answer set) or leaves unanswered (status 0) until removed.
     */
    final java.util.Map<Call.Type, CallFailure> refusals = new java.util.EnumMap<>(Call.Type.class);

    /** Call types whose answers wait until the test completes them (in {@link #heldAnswers}). */
    final java.util.Set<Call.Type> holding = java.util.EnumSet.noneOf(Call.Type.class);

    final List<java.util.concurrent.CompletableFuture<Void>> heldAnswers = new ArrayList<>();

    final FakeJenkins jenkins = new FakeJenkins();
    final MemoryStore store;
    final EngineConfig config;
    final ProvisioningEngine engine;
    private final AtomicInteger names = new AtomicInteger();

    EngineHarness(EngineConfig config, MemoryStore store) {
        this.config = config;
        this.store = store;
        this.engine =
                new ProvisioningEngine(
                        config,
                        new MesosOutbox() {
                            @Override
                            public void send(Call call) {
                                calls.add(call);
                            }

                            @Override
                            public java.util.concurrent.CompletionStage<Void> submit(Call call) {
                                calls.add(call);
                                if (holding.contains(call.getType())) {
                                    var answer = new java.util.concurrent.CompletableFuture<Void>();
                                    heldAnswers.add(answer);
                                    return answer;
                                }
                                CallFailure refused = refusals.get(call.getType());
                                return refused == null
                                        ? java.util.concurrent.CompletableFuture.completedFuture(
                                                null)
                                        : java.util.concurrent.CompletableFuture.failedFuture(
                                                refused);
                            }
                        },
                        jenkins,
                        store,
                        clock,
                        Runnable::run);
        engine.start().join();
    }

    EngineHarness(EngineConfig config) {
        this(config, new MemoryStore());
    }

    static EngineConfig.Builder config() {
        return EngineConfig.builder("mesos-test", "https://jenkins.example.com/")
                .offerHold(Duration.ofSeconds(2))
                .reviveDebounce(Duration.ofSeconds(1))
                .persistInterval(Duration.ZERO)
                .reconcileRetry(Duration.ofSeconds(5), Duration.ofSeconds(40))
                .reconcileInterval(Duration.ofMinutes(15))
                .crashLoop(3, Duration.ofSeconds(30), Duration.ofMinutes(5))
                .orphanGrace(Duration.ofSeconds(60));
    }

    AgentNamer namer() {
        return t ->
                new AgentIdentity(t.name() + "-" + names.incrementAndGet(), SecretValue.of(SECRET));
    }

    List<PlannedAgent> provision(String template, int count) {
        return engine.provision(template, count, namer()).join();
    }

    void refuse(Call.Type type, int status, String answer) {
        refusals.put(type, new CallFailure(type, status, answer, null));
    }

    void advance(Duration d) {
        clock.advance(d);
        engine.tick();
    }

    List<Call> calls(Call.Type type) {
        return calls.stream().filter(c -> c.getType() == type).collect(Collectors.toList());
    }

    List<Call> drain() {
        List<Call> copy = new ArrayList<>(calls);
        calls.clear();
        return copy;
    }

    /** Records what the engine tells Jenkins; {@link #names} is what Jenkins knows. */
    static final class FakeJenkins implements JenkinsAgents {
        final Set<String> names = new LinkedHashSet<>();
        final List<String> lost = new ArrayList<>();
        final List<String> draining = new ArrayList<>();
        final List<String> notes = new ArrayList<>();

        @Override
        public void agentNote(String agentName, String message) {
            notes.add(agentName + ": " + message);
        }

        @Override
        public Set<String> agentNames() {
            return Set.copyOf(names);
        }

        @Override
        public void agentLost(String agentName, String reason) {
            lost.add(agentName + ": " + reason);
        }

        @Override
        public void agentDraining(String agentName, Instant start) {
            draining.add(agentName);
        }
    }

    /** Keeps the last saved state in memory, as a restart would find it. */
    static final class MemoryStore implements EngineStore {
        PersistedState state;
        int saves;

        @Override
        public Optional<PersistedState> load() {
            return Optional.ofNullable(state);
        }

        @Override
        public void save(PersistedState s) {
            state = s;
            saves++;
        }
    }
}
