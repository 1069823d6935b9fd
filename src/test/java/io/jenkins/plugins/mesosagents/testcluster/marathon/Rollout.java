package io.jenkins.plugins.mesosagents.testcluster.marathon;

import io.jenkins.plugins.mesosagents.testcluster.marathon.SimModel.App;
import io.jenkins.plugins.mesosagents.testcluster.marathon.SimModel.Task;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One simulation step of one app. Tasks go staged → running → healthy (one step each; a start
 * failure turns a staged task into TASK_FAILED instead). Health checks follow the app's (or the
 * task image's) {@link HealthMode}; after {@code maxConsecutiveFailures} failed checks the task is
 * killed. While a deployment runs, tasks of the new configuration replace old ones within the
 * upgradeStrategy (old tasks are kept until ⌈instances·minimumHealthCapacity⌉ new ones are ready;
 * at most instances·(1+maximumOverCapacity) tasks run). Without a deployment the instance count is
 * only kept (like Marathon's scale check).
 */
final class Rollout {
    private final MarathonState state;
    private final App app;
    private final boolean deploying;
    private final SimFaults faults;

    Rollout(MarathonState state, App app, boolean deploying, SimFaults faults) {
        this.state = state;
        this.app = app;
        this.deploying = deploying;
        this.faults = faults;
    }

    void advance() {
        progressTasks();
        if (app.stopping) {
            app.tasks.clear();
            return;
        }
        int wanted = app.instances();
        List<Task> current = new ArrayList<>();
        List<Task> old = new ArrayList<>();
        for (Task task : app.tasks) {
            (task.configVersion.equals(app.lastConfigChangeAt) ? current : old).add(task);
        }
        if (!deploying) {
            while (app.tasks.size() < wanted) {
                app.tasks.add(state.launch(app));
            }
            while (app.tasks.size() > wanted) {
                app.tasks.remove(app.tasks.size() - 1);
            }
            return;
        }
        while (current.size() > wanted) {
            app.tasks.remove(current.remove(current.size() - 1));
        }
        double minimumHealth =
                app.definition.path("upgradeStrategy").path("minimumHealthCapacity").asDouble(1.0);
        double maximumOver =
                app.definition.path("upgradeStrategy").path("maximumOverCapacity").asDouble(1.0);
        long ready = current.stream().filter(t -> t.ready(app.healthChecked())).count();
        int keepOld = (int) Math.max(0, Math.ceil(wanted * minimumHealth) - ready);
        while (old.size() > keepOld) {
            app.tasks.remove(old.remove(0));
        }
        int capacity =
                wanted + (int) Math.floor(wanted * maximumOver) - old.size() - current.size();
        if (capacity <= 0
                && current.size() < wanted
                && current.stream().allMatch(t -> t.ready(app.healthChecked()))) {
            capacity = 1;
        }
        for (int i = 0; i < Math.min(wanted - current.size(), capacity); i++) {
            app.tasks.add(state.launch(app));
        }
    }

    private void progressTasks() {
        boolean healthChecked = app.healthChecked();
        String path = app.definition.path("healthChecks").path(0).path("path").asText("/");
        for (Iterator<Task> it = app.tasks.iterator(); it.hasNext(); ) {
            Task task = it.next();
            if (task.state.equals("TASK_STAGING")) {
                if (faults.failsToStart(app, task)) {
                    state.recordFailure(
                            app,
                            task,
                            "TASK_FAILED",
                            "Failed to launch container: simulated start failure of image "
                                    + task.image
                                    + " (exit code 1)");
                    it.remove();
                } else {
                    task.state = "TASK_RUNNING";
                    task.startedAt = state.now();
                }
                continue;
            }
            if (!healthChecked || !task.state.equals("TASK_RUNNING")) {
                continue;
            }
            boolean pass =
                    switch (faults.health(app, task)) {
                        case PASS -> true;
                        case FAIL -> false;
                        case FLAP -> !Boolean.TRUE.equals(task.alive);
                    };
            String now = state.now();
            if (pass) {
                task.alive = true;
                task.consecutiveFailures = 0;
                task.lastSuccess = now;
                task.firstSuccess = task.firstSuccess == null ? now : task.firstSuccess;
                continue;
            }
            task.alive = false;
            task.consecutiveFailures++;
            task.lastFailure = now;
            task.lastFailureCause =
                    "HTTP GET " + path + " answered 503 Service Unavailable (simulated)";
            int max = app.maxConsecutiveFailures();
            if (max > 0 && task.consecutiveFailures >= max) {
                state.recordFailure(
                        app,
                        task,
                        "TASK_KILLED",
                        "Killed after "
                                + task.consecutiveFailures
                                + " consecutive failed health checks: "
                                + task.lastFailureCause);
                it.remove();
            }
        }
    }

    /**
     * The deployment is done: all wanted tasks run the current configuration and are ready, no old
     * one is left.
     */
    static boolean finished(App app) {
        if (app.stopping) {
            return app.tasks.isEmpty();
        }
        long current =
                app.tasks.stream()
                        .filter(t -> t.configVersion.equals(app.lastConfigChangeAt))
                        .count();
        return current == app.instances()
                && app.tasks.size() == current
                && app.tasks.stream().allMatch(t -> t.ready(app.healthChecked()));
    }
}
