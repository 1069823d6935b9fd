package io.jenkins.plugins.mesosagents.testcluster.marathon;

import io.jenkins.plugins.mesosagents.testcluster.marathon.SimModel.App;
import io.jenkins.plugins.mesosagents.testcluster.marathon.SimModel.Task;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One simulation step of one app. Tasks go staged → running → healthy (a start failure turns a
 * staged task into TASK_FAILED, a crash fault a running one). Health checks follow the app's (or
 * the task image's) {@link HealthMode}: one per step, or with {@link SimConfig#marathonSecond()} on
 * the check's interval, failures ignored during the grace period until the first success
 * (HealthCheckActor.scala:135-143 at v1.10.26); after {@code maxConsecutiveFailures} the task is
 * killed (HealthCheckActor.scala:100-133). While a deployment runs, tasks of the new configuration
 * replace old ones within the upgradeStrategy (TaskReplaceActor.scala:342-389: old tasks are kept
 * until ⌈instances·minimumHealthCapacity⌉ new ones are healthy; at most
 * instances·(1+maximumOverCapacity) tasks). A new task counts for the deployment once it has been
 * healthy and ready once, until it terminates (ReadinessBehavior.scala:70, :78-81). Without a
 * deployment the instance count is only kept (like Marathon's scale check); while the app's only
 * deployments are being cancelled nothing is launched.
 */
final class Rollout {
    private final MarathonState state;
    private final App app;
    private final boolean deploying;
    private final boolean frozen;
    private final SimFaults faults;

    Rollout(MarathonState state, App app, boolean deploying, boolean frozen, SimFaults faults) {
        this.state = state;
        this.app = app;
        this.deploying = deploying;
        this.frozen = frozen;
        this.faults = faults;
    }

    void advance() {
        progressTasks();
        if (app.stopping) {
            app.tasks.clear();
            return;
        }
        if (frozen) {
            return;
        }
        int wanted = app.instances();
        List<Task> current = new ArrayList<>();
        List<Task> old = new ArrayList<>();
        for (Task task : app.tasks) {
            (task.configVersion.equals(app.lastConfigChangeAt) ? current : old).add(task);
        }
        if (!deploying) {
            while (app.tasks.size() > wanted) {
                app.tasks.remove(app.tasks.size() - 1);
            }
            state.launch(app, wanted - app.tasks.size());
            return;
        }
        while (current.size() > wanted) {
            app.tasks.remove(current.remove(current.size() - 1));
        }
        double minimumHealth =
                app.definition.path("upgradeStrategy").path("minimumHealthCapacity").asDouble(1.0);
        double maximumOver =
                app.definition.path("upgradeStrategy").path("maximumOverCapacity").asDouble(1.0);
        long ready = current.stream().filter(t -> t.counted).count();
        int keepOld = (int) Math.max(0, Math.ceil(wanted * minimumHealth) - ready);
        // unhealthy old instances are killed first (TaskReplaceActor.scala:323-330)
        old.sort(java.util.Comparator.comparing(t -> t.counted && !Boolean.FALSE.equals(t.alive)));
        while (old.size() > keepOld) {
            app.tasks.remove(old.remove(0));
        }
        int capacity =
                wanted + (int) Math.floor(wanted * maximumOver) - old.size() - current.size();
        if (capacity <= 0 && current.size() < wanted && current.stream().allMatch(t -> t.counted)) {
            capacity = 1;
        }
        state.launch(app, Math.max(0, Math.min(wanted - current.size(), capacity)));
    }

    private void progressTasks() {
        boolean healthChecked = app.healthChecked();
        int unreachable = faults.takeUnreachable(app);
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
                    state.backOff(app);
                } else {
                    task.state = "TASK_RUNNING";
                    task.startedAt = state.now();
                    task.runningSince = state.clock().instant();
                }
                continue;
            }
            if (!task.state.equals("TASK_RUNNING")) {
                continue;
            }
            if (unreachable > 0) {
                unreachable--;
                task.state = "TASK_UNREACHABLE";
                continue;
            }
            task.runningSteps++;
            if (faults.crashes(task)) {
                state.recordFailure(
                        app,
                        task,
                        "TASK_FAILED",
                        "Command exited with status 1 (simulated crash after running)");
                it.remove();
                state.backOff(app);
                continue;
            }
            if (healthChecked && !check(task)) {
                it.remove();
                continue;
            }
            if (task.runningSteps > 1 || state.config().marathonSecond() == null) {
                task.readinessPassed = !app.hasReadinessChecks() || faults.ready(task);
            }
            if (task.ready(healthChecked) && task.readinessPassed && !task.counted) {
                task.counted = true;
                app.failuresInARow = 0;
            }
        }
    }

    /** Runs the health check when due; false when the task was killed for failing it. */
    private boolean check(Task task) {
        Instant now = state.clock().instant();
        boolean timed = state.config().marathonSecond() != null;
        if (timed) {
            if (task.nextCheck != null && now.isBefore(task.nextCheck)) {
                return true;
            }
            task.nextCheck =
                    now.plus(state.config().seconds(app.healthSeconds("intervalSeconds", 60)));
        }
        boolean warm =
                !timed
                        || !now.isBefore(
                                task.runningSince.plus(
                                        state.config().seconds(faults.healthyAfter(task))));
        boolean pass =
                warm
                        && switch (faults.health(app, task)) {
                            case PASS -> true;
                            case FAIL -> false;
                            case FLAP -> !Boolean.TRUE.equals(task.alive);
                        };
        String nowText = state.now();
        if (pass) {
            task.alive = true;
            task.consecutiveFailures = 0;
            task.lastSuccess = nowText;
            task.firstSuccess = task.firstSuccess == null ? nowText : task.firstSuccess;
            return true;
        }
        boolean inGrace =
                timed
                        && task.firstSuccess == null
                        && now.isBefore(
                                task.runningSince.plus(
                                        state.config()
                                                .seconds(
                                                        app.healthSeconds(
                                                                "gracePeriodSeconds", 300))));
        if (inGrace) {
            // the result is stored, but neither a failure nor its cause is counted
            task.alive = false;
            return true;
        }
        String path = app.definition.path("healthChecks").path(0).path("path").asText("/");
        int max = app.maxConsecutiveFailures();
        // the kill decision looks at the health before this failure is added
        // (HealthCheckActor.scala:163-164): a task stays visible at maxConsecutiveFailures for one
        // interval before it is killed on the next failed check
        boolean kill = max > 0 && task.consecutiveFailures >= max;
        task.alive = false;
        task.consecutiveFailures++;
        task.lastFailure = nowText;
        task.lastFailureCause =
                "HTTP GET " + path + " answered 503 Service Unavailable (simulated)";
        if (kill) {
            if (task.marathonChecks) {
                // Marathon's own checks kill through an UnhealthyInstanceKillEvent that becomes
                // the lastTaskFailure (TaskFailure.scala:66-82); Mesos-level checks end in a
                // TASK_KILLED status, which is not a failure state (TaskFailure.scala:127-133)
                state.recordFailure(
                        app,
                        task,
                        "TASK_KILLED",
                        "Task was killed since health check failed. Reason: "
                                + task.lastFailureCause);
            }
            return false;
        }
        return true;
    }

    /**
     * The deployment is done: the wanted number of new tasks have each been healthy and ready once
     * and are not terminated, and no old one is left (TaskReplaceActor.scala:247-251).
     */
    static boolean finished(App app) {
        if (app.stopping) {
            return app.tasks.isEmpty();
        }
        long counted =
                app.tasks.stream()
                        .filter(t -> t.configVersion.equals(app.lastConfigChangeAt))
                        .filter(t -> t.counted)
                        .count();
        long old =
                app.tasks.stream()
                        .filter(t -> !t.configVersion.equals(app.lastConfigChangeAt))
                        .count();
        return counted == app.instances() && old == 0;
    }
}
