package io.jenkins.plugins.mesosagents.soak;

import io.jenkins.plugins.mesosagents.engine.AgentNamer;
import io.jenkins.plugins.mesosagents.engine.LaunchedAgent;
import io.jenkins.plugins.mesosagents.engine.PlannedAgent;
import io.jenkins.plugins.mesosagents.session.SchedulerSession;
import io.jenkins.plugins.mesosagents.session.SessionCluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Jenkins side of the soak, as the cloud drives a session: it asks for agents of random
 * templates up to a number of live requests, adds each planned node to the agents Jenkins owns,
 * calls {@code nodeReady}, waits for {@code running}, then {@code agentConnected}; an online agent
 * is busy for a random while and then released; a failed launch or a lost agent is released at once
 * (Jenkins terminates the node: MesosLauncher, MesosRetentionStrategy). After a restart it asks the
 * new session for every node it still has ({@code running}), as Jenkins' launcher does for the
 * nodes it loaded from disk. All its state is confined to one thread.
 */
final class SoakJenkins {
    /** One agent request: a Jenkins node from plan to release. */
    static final class Request {
        final String name;
        final String template;
        final long plannedNanos;
        int generation;
        boolean online;
        int onlineTimes;
        String failure;
        String lost;
        boolean released;
        long releasedNanos;
        long busyUntilNanos;

        Request(String name, String template, long plannedNanos) {
            this.name = name;
            this.template = template;
            this.plannedNanos = plannedNanos;
        }

        boolean resolved() {
            return online || failure != null;
        }
    }

    /** What the Jenkins side holds at one moment (taken on its thread). */
    record View(
            int requests,
            int online,
            int failed,
            int failedWithoutReason,
            int unresolved,
            int overdue,
            int live,
            Map<String, Long> releasedAtNanos,
            List<String> wanted,
            List<String> onlineWanted,
            Map<String, Integer> failureReasons,
            Map<String, String> reasons,
            int provisionFailures) {}

    private final ScheduledExecutorService thread =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "soak-jenkins");
                        t.setDaemon(true);
                        return t;
                    });
    private final SessionCluster.FakeJenkins nodes;
    private final AgentNamer namer;
    private final List<String> templates;
    private final Random random;
    private final int concurrency;
    private final int launches;
    private final long overdueNanos;
    private final Map<String, Request> requests = new LinkedHashMap<>();
    private final Map<String, Integer> failureReasons = new TreeMap<>();
    private final Map<String, Boolean> lostSeen = new HashMap<>();
    private SchedulerSession session;
    private boolean demand = true;
    private boolean holdReleases;
    private boolean provisioning;
    private int provisionFailures;
    private int onlineCount;

    SoakJenkins(
            SessionCluster.FakeJenkins nodes,
            AgentNamer namer,
            List<String> templates,
            Random random,
            int concurrency,
            int launches,
            long overdueNanos) {
        this.nodes = nodes;
        this.namer = namer;
        this.templates = List.copyOf(templates);
        this.random = random;
        this.concurrency = concurrency;
        this.launches = launches;
        this.overdueNanos = overdueNanos;
    }

    void start(SchedulerSession first) {
        on(
                () -> {
                    session = first;
                    return null;
                });
        thread.scheduleWithFixedDelay(this::step, 50, 50, TimeUnit.MILLISECONDS);
    }

    /** Agents that came online so far. */
    int online() {
        return on(() -> onlineCount);
    }

    void stopDemand() {
        on(
                () -> {
                    demand = false;
                    return null;
                });
    }

    /** While held, busy agents are not released when their build ends (a clean restart check). */
    void holdReleases(boolean hold) {
        on(
                () -> {
                    holdReleases = hold;
                    return null;
                });
    }

    /** Jenkins is done with every node: each is released. */
    void releaseAll() {
        on(
                () -> {
                    requests.values().stream()
                            .filter(r -> !r.released)
                            .forEach(r -> release(r, "end of the soak"));
                    return null;
                });
    }

    /**
     * Jenkins restarts: the old session is closed (its tasks run on), a new one is started from
     * the persisted state, and every node Jenkins still has asks it for its agent.
     */
    void restart(java.util.function.Supplier<SchedulerSession> next) {
        on(
                () -> {
                    session.close();
                    session = next.get();
                    for (Request r : requests.values()) {
                        if (!r.released) {
                            attach(r, session.running(r.name));
                        }
                    }
                    return null;
                });
    }

    SchedulerSession session() {
        return on(() -> session);
    }

    View view() {
        return on(
                () -> {
                    long now = System.nanoTime();
                    int online = 0;
                    int failed = 0;
                    int noReason = 0;
                    int unresolved = 0;
                    int overdue = 0;
                    int live = 0;
                    Map<String, Long> released = new HashMap<>();
                    List<String> wanted = new ArrayList<>();
                    List<String> onlineWanted = new ArrayList<>();
                    Map<String, String> reasons = new HashMap<>();
                    for (Request r : requests.values()) {
                        if (r.failure != null || r.lost != null) {
                            reasons.put(r.name, r.failure != null ? r.failure : r.lost);
                        }
                        if (r.online) {
                            online++;
                        }
                        if (r.failure != null) {
                            failed++;
                            if (r.failure.isBlank()) {
                                noReason++;
                            }
                        }
                        if (!r.resolved()) {
                            unresolved++;
                            if (now - r.plannedNanos > overdueNanos) {
                                overdue++;
                            }
                        }
                        if (r.released) {
                            released.put(r.name, r.releasedNanos);
                        } else {
                            live++;
                            wanted.add(r.name);
                            if (r.online) {
                                onlineWanted.add(r.name);
                            }
                        }
                    }
                    return new View(
                            requests.size(),
                            online,
                            failed,
                            noReason,
                            unresolved,
                            overdue,
                            live,
                            released,
                            wanted,
                            onlineWanted,
                            new TreeMap<>(failureReasons),
                            reasons,
                            provisionFailures);
                });
    }

    void close() {
        thread.shutdownNow();
    }

    // ------------------------------------------------------------------ on the thread

    private void step() {
        try {
            long now = System.nanoTime();
            for (Map.Entry<String, String> lost : nodes.lost.entrySet()) {
                if (lostSeen.putIfAbsent(lost.getKey(), true) == null) {
                    Request r = requests.get(lost.getKey());
                    if (r != null) {
                        r.lost = lost.getValue();
                        if (!r.released) {
                            release(r, "agent lost");
                        }
                    }
                }
            }
            for (Request r : requests.values()) {
                if (r.online && !r.released && !holdReleases && now - r.busyUntilNanos > 0) {
                    release(r, "build finished");
                }
            }
            int live = (int) requests.values().stream().filter(r -> !r.released).count();
            if (demand && !provisioning && live < concurrency && onlineCount < launches) {
                String template = templates.get(random.nextInt(templates.size()));
                int count = Math.min(concurrency - live, 1 + random.nextInt(3));
                provisioning = true;
                session.provision(template, count, namer)
                        .orTimeout(30, TimeUnit.SECONDS)
                        .whenCompleteAsync((planned, failure) -> planned(planned, failure), thread);
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
        }
    }

    private void planned(List<PlannedAgent> planned, Throwable failure) {
        provisioning = false;
        if (failure != null) {
            provisionFailures++;
            return;
        }
        for (PlannedAgent p : planned) {
            Request r = new Request(p.name(), p.templateName(), System.nanoTime());
            requests.put(r.name, r);
            nodes.owned.add(r.name);
            session.nodeReady(r.name);
            attach(r, p.running());
        }
    }

    private void attach(Request r, CompletableFuture<LaunchedAgent> running) {
        int generation = ++r.generation;
        running.whenCompleteAsync(
                (agent, failure) -> {
                    if (generation != r.generation) {
                        return; // a future of the session before the restart
                    }
                    if (failure == null) {
                        if (!r.online) {
                            onlineCount++;
                        }
                        r.online = true;
                        r.onlineTimes++;
                        if (!r.released) {
                            session.agentConnected(r.name);
                            r.busyUntilNanos =
                                    System.nanoTime()
                                            + TimeUnit.MILLISECONDS.toNanos(
                                                    500 + random.nextInt(3500));
                        }
                    } else {
                        Throwable cause =
                                failure instanceof CompletionException && failure.getCause() != null
                                        ? failure.getCause()
                                        : failure;
                        String reason = cause.getMessage() == null ? "" : cause.getMessage();
                        if (r.failure == null && !r.online) {
                            r.failure = reason;
                            failureReasons.merge(reasonKind(reason), 1, Integer::sum);
                        }
                        if (!r.released) {
                            release(r, "launch failed");
                        }
                    }
                },
                thread);
    }

    private void release(Request r, String why) {
        r.released = true;
        r.releasedNanos = System.nanoTime();
        nodes.owned.remove(r.name);
        session.release(r.name);
    }

    /** A reason without the agent's name and numbers, so the report can count reasons by kind. */
    static String reasonKind(String reason) {
        String kind = reason.replaceAll("[a-z]+-\\d+", "<agent>").replaceAll("\\d+", "N");
        return kind.length() > 160 ? kind.substring(0, 160) + "…" : kind;
    }

    private <T> T on(Callable<T> work) {
        try {
            return thread.submit(work).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the Jenkins stand-in did not answer within 60 s", e);
        }
    }
}
