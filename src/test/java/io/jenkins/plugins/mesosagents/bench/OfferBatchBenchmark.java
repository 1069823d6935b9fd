package io.jenkins.plugins.mesosagents.bench;

import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.PlannedAgent;
import io.jenkins.plugins.mesosagents.engine.ProvisioningEngine;

import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
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

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One OFFERS batch of 10,000 offers against 1,000 pending agents over 20 templates. {@code engine}
 * feeds the batch to a real {@link ProvisioningEngine} (parse, match, build TaskInfos,
 * ACCEPT/DECLINE calls, persistence snapshot) on a direct executor; {@code firstFitBaseline} runs
 * the incumbent's one-task-per-offer first fit on the same batch and queue. {@code fragments} is
 * the share of offers too small for any template (busy cluster).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class OfferBatchBenchmark {
    private static final int OFFERS = 10_000;
    private static final int PER_TEMPLATE = 50;

    @Param({"85", "0"})
    public int fragments;

    private List<AgentTemplate> templates;
    private Event batch;
    private List<Offer> offers;
    private ProvisioningEngine engine;
    private List<FirstFitBaseline.Request> queue;
    private final List<Call> sink = new ArrayList<>();

    @Setup(Level.Trial)
    public void batch() {
        templates = BenchCluster.templates();
        offers = BenchCluster.offers(OFFERS, 42, fragments);
        batch = BenchCluster.offersEvent(offers);
        report();
    }

    @Setup(Level.Invocation)
    public void pendingAgents() {
        sink.clear();
        engine = newEngineWithDemand(sink);
        queue = new ArrayList<>(PER_TEMPLATE * templates.size());
        for (int i = 0; i < PER_TEMPLATE; i++) {
            for (AgentTemplate t : templates) {
                queue.add(FirstFitBaseline.Request.of(t, "b-" + t.name() + "-" + i));
            }
        }
    }

    private ProvisioningEngine newEngineWithDemand(List<Call> out) {
        ProvisioningEngine e =
                new ProvisioningEngine(
                        BenchCluster.config(),
                        out::add,
                        BenchCluster.NO_JENKINS,
                        BenchCluster.NO_STORE,
                        BenchCluster.CLOCK,
                        Runnable::run);
        e.setTemplates(templates);
        e.onEvent(BenchCluster.subscribed());
        for (AgentTemplate t : templates) {
            List<PlannedAgent> p =
                    e.provision(t.name(), PER_TEMPLATE, BenchCluster.namer("a-")).join();
            if (p.size() != PER_TEMPLATE) {
                throw new IllegalStateException("demand not admitted");
            }
        }
        out.clear();
        return e;
    }

    @Benchmark
    public int engine() {
        engine.onEvent(batch);
        return sink.size();
    }

    @Benchmark
    public int firstFitBaseline() {
        return FirstFitBaseline.onOffers(offers, queue, "https://jenkins.example.com/").size();
    }

    /**
     * Prints placement quality once per trial: agents placed and distinct hosts used, ours vs
     * baseline.
     */
    private void report() {
        List<Call> ours = new ArrayList<>();
        ProvisioningEngine e = newEngineWithDemand(ours);
        e.onEvent(batch);
        int placed = 0;
        Set<String> hosts = new HashSet<>();
        for (Call c : ours) {
            if (c.getType() == Call.Type.ACCEPT) {
                int n = c.getAccept().getOperations(0).getLaunch().getTaskInfosCount();
                placed += n;
                hosts.add(c.getAccept().getOfferIds(0).getValue());
            }
        }
        pendingAgents();
        List<Call> base = FirstFitBaseline.onOffers(offers, queue, "https://jenkins.example.com/");
        long basePlaced = base.stream().filter(c -> c.getType() == Call.Type.ACCEPT).count();
        System.out.printf(
                "%n[placement] fragments=%d%%: engine placed %d agents on %d hosts;"
                        + " first-fit baseline placed %d agents on %d hosts (%d still queued)%n",
                fragments, placed, hosts.size(), basePlaced, basePlaced, queue.size());
    }
}
