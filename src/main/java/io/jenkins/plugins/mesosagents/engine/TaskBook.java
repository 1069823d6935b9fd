package io.jenkins.plugins.mesosagents.engine;

import org.apache.mesos.v1.Protos.TaskState;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tasks the engine owns, indexed by task id (= agent name) and counted per template so that
 * caps and placement constraints are answered without scanning. Loop-confined.
 */
final class TaskBook {
    private final Map<String, TrackedTask> byId = new LinkedHashMap<>();

    /**
     * template -> {tasks, of which running}; kept up to date so snapshots cost O(templates), not
     * O(tasks).
     */
    private final Map<String, int[]> countByTemplate = new HashMap<>();

    private double cpus;
    private double mem;

    void add(TrackedTask t) {
        byId.put(t.taskId(), t);
        int[] c = countByTemplate.computeIfAbsent(t.templateName, k -> new int[2]);
        c[0]++;
        c[1] += t.wasRunning ? 1 : 0;
        cpus += t.cpus;
        mem += t.memMb;
    }

    TrackedTask get(String taskId) {
        return byId.get(taskId);
    }

    void remove(TrackedTask t) {
        if (byId.remove(t.taskId()) != null) {
            int[] c = countByTemplate.get(t.templateName);
            c[0]--;
            c[1] -= t.wasRunning ? 1 : 0;
            cpus -= t.cpus;
            mem -= t.memMb;
        }
    }

    Collection<TrackedTask> all() {
        return byId.values();
    }

    int size() {
        return byId.size();
    }

    int count(String template) {
        int[] c = countByTemplate.get(template);
        return c == null ? 0 : c[0];
    }

    /** Records that a tracked task reached RUNNING for the first time. */
    void markRunning(TrackedTask t) {
        if (!t.wasRunning) {
            t.wasRunning = true;
            countByTemplate.get(t.templateName)[1]++;
        }
    }

    /** {tasks, running} of a template; do not modify. */
    int[] counts(String template) {
        return countByTemplate.getOrDefault(template, EMPTY);
    }

    Collection<String> templatesWithTasks() {
        return countByTemplate.keySet();
    }

    private static final int[] EMPTY = new int[2];

    double cpus() {
        return cpus;
    }

    double mem() {
        return mem;
    }

    int countIn(String template, TaskState... states) {
        int n = 0;
        for (TrackedTask t : byId.values()) {
            if (t.templateName.equals(template)) {
                for (TaskState s : states) {
                    if (t.state == s) {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    /** attribute -> value -> live tasks of the template, for UNIQUE/CLUSTER/GROUP_BY. */
    Map<String, Map<String, Integer>> placementCounts(AgentTemplate template) {
        boolean dynamic = template.constraints().stream().anyMatch(c -> c.operator().isDynamic());
        if (!dynamic) {
            return Map.of();
        }
        Map<String, Map<String, Integer>> counts = new HashMap<>();
        for (TrackedTask t : byId.values()) {
            if (t.templateName.equals(template.name())) {
                for (Map.Entry<String, String> e : t.placementValues.entrySet()) {
                    if (e.getValue() != null) {
                        counts.computeIfAbsent(e.getKey(), k -> new HashMap<>())
                                .merge(e.getValue(), 1, Integer::sum);
                    }
                }
                // constraints on the host name also apply to tasks recovered from the store
                if (!t.placementValues.containsKey(Constraint.HOSTNAME) && t.hostname != null) {
                    counts.computeIfAbsent(Constraint.HOSTNAME, k -> new HashMap<>())
                            .merge(t.hostname, 1, Integer::sum);
                }
            }
        }
        return counts;
    }

    List<TrackedTask> onAgent(String agentId) {
        List<TrackedTask> out = new ArrayList<>();
        for (TrackedTask t : byId.values()) {
            if (agentId.equals(t.agentId)) {
                out.add(t);
            }
        }
        return out;
    }

    List<PersistedState.PersistedTask> persisted() {
        List<PersistedState.PersistedTask> out = new ArrayList<>(byId.size());
        for (TrackedTask t : byId.values()) {
            out.add(
                    new PersistedState.PersistedTask(
                            t.taskId(),
                            t.agentName,
                            t.templateName,
                            t.agentId,
                            t.hostname,
                            t.state.name(),
                            t.launchedAtMillis,
                            t.cpus,
                            t.memMb));
        }
        return out;
    }
}
