package io.jenkins.plugins.mesosagents.testcluster.mesos;

import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledFuture;

/** The master's bookkeeping entries; all mutated only on the master's loop thread. */
final class Entities {
    private Entities() {}

    enum AgentState {
        ACTIVE,
        UNREACHABLE,
        GONE,
        /**
         * Admitted in the registry but not yet reregistered with a new leader that has amnesia
         * ({@code slaves.recovered} in master.hpp): its tasks run, the master knows none of them.
         */
        RECOVERED
    }

    static final class Agent {
        final String id;
        final AgentConfig config;
        final Map<String, ResourceBag> totals = new LinkedHashMap<>();
        AgentState state = AgentState.ACTIVE;
        long unreachableSinceMillis;

        Agent(String id, AgentConfig config) {
            this.id = id;
            this.config = config;
            totals.put(
                    "*",
                    ResourceBag.of(
                            config.cpus(),
                            config.mem(),
                            config.disk(),
                            config.gpus(),
                            ResourceBag.parsePorts(config.ports())));
            config.reserved()
                    .forEach(
                            (role, r) ->
                                    totals.put(
                                            role,
                                            ResourceBag.of(
                                                    r.cpus(),
                                                    r.mem(),
                                                    r.disk(),
                                                    r.gpus(),
                                                    ResourceBag.parsePorts(r.ports()))));
        }

        boolean hasGpus() {
            return totals.values().stream().anyMatch(b -> b.scalar("gpus") > 0);
        }
    }

    static final class Framework {
        final String id;
        FrameworkInfo info;
        Subscription subscription;
        Set<String> suppressedRoles = new TreeSet<>();
        final Map<String, Long> filterExpiryNanos = new HashMap<>();
        final Map<String, Task> tasks = new LinkedHashMap<>();

        /** Terminal, acknowledged tasks, newest last (the master keeps a bounded history too). */
        final ArrayDeque<Task> completedTasks = new ArrayDeque<>();

        ScheduledFuture<?> failoverTimer;

        void complete(Task t) {
            tasks.remove(t.id());
            completedTasks.add(t);
            if (completedTasks.size() > 1000) {
                completedTasks.poll();
            }
        }

        Framework(String id, FrameworkInfo info) {
            this.id = id;
            this.info = info;
        }

        boolean has(FrameworkInfo.Capability.Type type) {
            return info.getCapabilitiesList().stream().anyMatch(c -> c.getType() == type);
        }

        List<String> roles() {
            if (has(FrameworkInfo.Capability.Type.MULTI_ROLE)) {
                return info.getRolesList();
            }
            return List.of(info.hasRole() ? info.getRole() : "*");
        }
    }

    static final class OfferEntry {
        final String id;
        final String frameworkId;
        final String agentId;
        final String role;
        final Map<String, ResourceBag> pools;
        final Offer proto;

        OfferEntry(
                String id,
                String frameworkId,
                String agentId,
                String role,
                Map<String, ResourceBag> pools,
                Offer proto) {
            this.id = id;
            this.frameworkId = frameworkId;
            this.agentId = agentId;
            this.role = role;
            this.pools = pools;
            this.proto = proto;
        }
    }

    static final class Task {
        final String frameworkId;
        final Agent agent;
        final TaskInfo info;
        final Map<String, ResourceBag> pools;
        final Path sandbox;

        /** When the master accepted the LAUNCH that created this task. */
        final java.time.Instant accepted = java.time.Instant.now();

        /** What the master believes. */
        TaskState masterState = TaskState.TASK_STAGING;

        /** What the agent knows (differs from the master's view while the agent is partitioned). */
        TaskState agentState = TaskState.TASK_STAGING;

        TaskStatus latest;

        /** Every update the agent produced for it, in order (for accounting tests). */
        final List<TaskStatus> agentUpdates = new ArrayList<>();

        final ArrayDeque<TaskStatus> pending = new ArrayDeque<>();
        ScheduledFuture<?> retry;

        /** The agent's current resend interval for the head of {@link #pending}. */
        long retryMillis;

        TaskProcess process;
        long pid = -1;
        boolean killing;
        Map<String, String> environment = Map.of();

        Task(
                String frameworkId,
                Agent agent,
                TaskInfo info,
                Map<String, ResourceBag> pools,
                Path sandbox) {
            this.frameworkId = frameworkId;
            this.agent = agent;
            this.info = info;
            this.pools = pools;
            this.sandbox = sandbox;
        }

        String id() {
            return info.getTaskId().getValue();
        }
    }

    static boolean isTerminal(TaskState s) {
        return switch (s) {
            case TASK_FINISHED,
                            TASK_FAILED,
                            TASK_KILLED,
                            TASK_ERROR,
                            TASK_LOST,
                            TASK_DROPPED,
                            TASK_GONE,
                            TASK_GONE_BY_OPERATOR ->
                    true;
            default -> false;
        };
    }
}
