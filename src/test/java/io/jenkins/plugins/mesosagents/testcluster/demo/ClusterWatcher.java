package io.jenkins.plugins.mesosagents.testcluster.demo;

import io.jenkins.plugins.mesosagents.session.SchedulerSession;
import io.jenkins.plugins.mesosagents.testcluster.mesos.MesosSimulator;
import io.jenkins.plugins.mesosagents.testcluster.mesos.TaskView;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Looks on ten times a second: tells the controller, for each new task, when the master accepted
 * its LAUNCH, remembers every task process id for the leftover check, and prints a
 * template's wait reason whenever the engine's diagnosis changes, as the cloud's launcher logs it
 * to a waiting agent's log.
 */
final class ClusterWatcher implements AutoCloseable {
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "demo-cluster-watcher");
                        t.setDaemon(true);
                        return t;
                    });
    private final Set<String> seen = new HashSet<>();
    private final Map<String, String> reasons = new HashMap<>();
    private final Set<Long> pids = new HashSet<>();

    ClusterWatcher(
            MesosSimulator mesos,
            SchedulerSession session,
            DemoController controller,
            Progress progress) {
        timer.scheduleWithFixedDelay(
                () -> {
                    session.snapshot().templates().forEach((n, s) -> waiting(n, s, progress));
                    for (TaskView t : mesos.tasks()) {
                        if (t.pid() > 0) {
                            synchronized (pids) {
                                pids.add(t.pid());
                            }
                        }
                        if (seen.add(t.taskId())) {
                            // the master's own time of the LAUNCH: this look may come after RUNNING
                            controller.launchSeen(t.taskId(), t.accepted());
                        }
                    }
                },
                0,
                100,
                TimeUnit.MILLISECONDS);
    }

    private void waiting(
            String template,
            io.jenkins.plugins.mesosagents.engine.TemplateStatus status,
            Progress progress) {
        String why =
                status.waiting() == null
                        ? null
                        : status.waiting().reason() + " - " + status.waiting().detail();
        if (why != null && !why.equals(reasons.get(template))) {
            progress.line("template " + template + " still waiting: " + why);
        }
        reasons.put(template, why);
    }

    /** Every task process id seen. */
    List<Long> taskPids() {
        synchronized (pids) {
            return List.copyOf(pids);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
