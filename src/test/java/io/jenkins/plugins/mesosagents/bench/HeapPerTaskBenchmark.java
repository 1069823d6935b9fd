package io.jenkins.plugins.mesosagents.bench;

import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.PlannedAgent;
import io.jenkins.plugins.mesosagents.engine.ProvisioningEngine;

import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.scheduler.Protos.Event;
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

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Retained heap per tracked task. Each single-shot iteration builds an engine, then launches {@link
 * #TASKS} agents through real OFFERS and brings every task to RUNNING with real UPDATE events; the
 * heap in use (after repeated full GCs, MemoryMXBean) is read with the engine subscribed and
 * templated but empty, and again with all tasks tracked. The difference divided by the task count
 * is reported as the {@code bytesPerTask} counter (per iteration; JMH's summary line for an EVENTS
 * counter is the sum over the iterations). The harness holds no reference to events, planned-agent
 * futures or calls, so only what the engine keeps is counted.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx1g", "-XX:+UseSerialGC"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@State(Scope.Thread)
public class HeapPerTaskBenchmark {
    static final int TASKS = 20_000;
    private static final int PER_OFFER = 10;

    /** The measured value, reported by JMH next to the time. */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Retained {
        public long bytesPerTask;

        @Setup(Level.Iteration)
        public void clear() {
            bytesPerTask = 0;
        }
    }

    private ProvisioningEngine engine;

    @Benchmark
    public ProvisioningEngine trackTasks(Retained retained) {
        AgentTemplate t = AgentTemplate.builder("mem").cpus(1).memMb(1024).build();
        int[] calls = {0};
        engine =
                new ProvisioningEngine(
                        BenchCluster.config(),
                        c -> calls[0]++,
                        BenchCluster.NO_JENKINS,
                        BenchCluster.NO_STORE,
                        BenchCluster.CLOCK,
                        Runnable::run);
        engine.setTemplates(List.of(t));
        engine.onEvent(BenchCluster.subscribed());
        long before = usedAfterGc();

        List<String> names = new ArrayList<>(TASKS);
        List<PlannedAgent> planned =
                engine.provision("mem", TASKS, BenchCluster.namer("m-")).join();
        for (PlannedAgent p : planned) {
            names.add(p.name());
        }
        planned = null;
        List<Offer> offers = new ArrayList<>();
        for (int i = 0; i < TASKS / PER_OFFER; i++) {
            offers.add(
                    Offer.newBuilder()
                            .setId(OfferID.newBuilder().setValue("o-" + i))
                            .setFrameworkId(
                                    FrameworkID.newBuilder().setValue(BenchCluster.FRAMEWORK))
                            .setAgentId(AgentID.newBuilder().setValue("agent-" + i))
                            .setHostname("host-" + i)
                            .addResources(scalar("cpus", PER_OFFER))
                            .addResources(scalar("mem", 1024.0 * PER_OFFER))
                            .build());
        }
        engine.onEvent(BenchCluster.offersEvent(offers));
        offers = null;
        for (int i = 0; i < names.size(); i++) {
            engine.onEvent(
                    Event.newBuilder()
                            .setType(Event.Type.UPDATE)
                            .setUpdate(
                                    Event.Update.newBuilder()
                                            .setStatus(
                                                    TaskStatus.newBuilder()
                                                            .setTaskId(
                                                                    TaskID.newBuilder()
                                                                            .setValue(names.get(i)))
                                                            .setAgentId(
                                                                    AgentID.newBuilder()
                                                                            .setValue(
                                                                                    "agent-"
                                                                                            + (i
                                                                                                    / PER_OFFER)))
                                                            .setState(TaskState.TASK_RUNNING)))
                            .build());
        }
        names = null;
        if (engine.snapshot().trackedTasks() != TASKS
                || engine.snapshot().templates().get("mem").running() != TASKS) {
            throw new IllegalStateException("not all tasks running: " + engine.snapshot());
        }
        long after = usedAfterGc();
        retained.bytesPerTask = (after - before) / TASKS;
        return engine;
    }

    private static long usedAfterGc() {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, mem.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static Resource scalar(String name, double v) {
        return Resource.newBuilder()
                .setName(name)
                .setType(Value.Type.SCALAR)
                .setScalar(Value.Scalar.newBuilder().setValue(v))
                .build();
    }
}
