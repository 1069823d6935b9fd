package io.jenkins.plugins.mesosagents.engine;

import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.offer;
import static io.jenkins.plugins.mesosagents.engine.MesosFixtures.offers;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The public entry points are safe to call from many threads: the loop serialises them and caps
 * still hold.
 */
class ConcurrentEntryPointsTest {
    private final ExecutorService loop = Executors.newSingleThreadExecutor();
    private final ExecutorService callers = Executors.newFixedThreadPool(8);

    @AfterEach
    void stop() throws InterruptedException {
        callers.shutdownNow();
        loop.shutdownNow();
        assertThat(callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(loop.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void concurrentDemandAndOffersNeverExceedTheCap() throws Exception {
        ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
        ProvisioningEngine engine =
                new ProvisioningEngine(
                        EngineHarness.config().caps(100, 0, 0).build(),
                        calls::add,
                        new EngineHarness.FakeJenkins(),
                        new EngineHarness.MemoryStore(),
                        Clock.systemUTC(),
                        loop);
        engine.setTemplates(List.of(AgentTemplate.builder("c").cpus(0.5).memMb(256).build()));
        engine.onEvent(MesosFixtures.subscribed());
        AtomicInteger names = new AtomicInteger();
        AgentNamer namer =
                t -> new AgentIdentity("c-" + names.incrementAndGet(), SecretValue.of("s"));

        List<CompletableFuture<List<PlannedAgent>>> answers = new ArrayList<>();
        List<CompletableFuture<?>> feeding = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            int n = i;
            answers.add(
                    CompletableFuture.supplyAsync(() -> engine.provision("c", 1, namer), callers)
                            .thenCompose(f -> f));
            if (i % 40 == 0) {
                feeding.add(
                        CompletableFuture.runAsync(
                                () ->
                                        engine.onEvent(
                                                offers(offer("o" + n, "h" + n, 8, 4096).build())),
                                callers));
            }
        }
        CompletableFuture.allOf(feeding.toArray(new CompletableFuture<?>[0]))
                .get(20, TimeUnit.SECONDS);
        int admitted = 0;
        for (CompletableFuture<List<PlannedAgent>> a : answers) {
            admitted += a.get(20, TimeUnit.SECONDS).size();
        }
        engine.tick();
        EngineSnapshot s = engine.settled().get(20, TimeUnit.SECONDS);
        assertThat(admitted).isEqualTo(100);
        assertThat(s.pendingAgents() + s.trackedTasks()).isEqualTo(100);
        long launched =
                calls.stream()
                        .filter(c -> c.getType() == Call.Type.ACCEPT)
                        .mapToLong(
                                c -> c.getAccept().getOperations(0).getLaunch().getTaskInfosCount())
                        .sum();
        assertThat(launched).isEqualTo(s.trackedTasks()).isLessThanOrEqualTo(100);
    }
}
