package io.jenkins.plugins.mesosagents.testcluster.marathon;

import io.jenkins.plugins.mesosagents.testcluster.marathon.SimModel.App;
import io.jenkins.plugins.mesosagents.testcluster.marathon.SimModel.Task;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The faults tests inject: health per app or per image (an image setting wins, e.g. "the new image
 * is broken"), and start failures per app or per image.
 */
final class SimFaults {
    private final Map<String, HealthMode> healthByApp = new ConcurrentHashMap<>();
    private final Map<String, HealthMode> healthByImage = new ConcurrentHashMap<>();
    private final Set<String> failingApps = ConcurrentHashMap.newKeySet();
    private final Set<String> failingImages = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> crashingImages = new ConcurrentHashMap<>();
    private final Set<String> unreadyImages = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> unreachableByApp = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicInteger putsTimingOut =
            new java.util.concurrent.atomic.AtomicInteger();

    /** Tasks of this image reach TASK_RUNNING, then fail after {@code steps} steps. */
    void crashAfterRunning(String image, int steps) {
        if (steps < 0) {
            crashingImages.remove(image);
        } else {
            crashingImages.put(image, steps);
        }
    }

    boolean crashes(Task task) {
        Integer steps = task.image == null ? null : crashingImages.get(task.image);
        return steps != null && task.runningSteps > steps;
    }

    private final Map<String, Integer> slowImages = new ConcurrentHashMap<>();

    /** Tasks of this image fail their health checks until they ran {@code seconds} (Marathon). */
    void healthyAfter(String image, int seconds) {
        slowImages.put(image, seconds);
    }

    int healthyAfter(Task task) {
        return task.image == null ? 0 : slowImages.getOrDefault(task.image, 0);
    }

    /** The readiness checks of tasks of this image fail (they pass by default). */
    void readiness(String image, boolean ready) {
        if (ready) {
            unreadyImages.remove(image);
        } else {
            unreadyImages.add(image);
        }
    }

    boolean ready(Task task) {
        return task.image == null || !unreadyImages.contains(task.image);
    }

    /** The next step turns {@code count} running tasks of the app TASK_UNREACHABLE. */
    void unreachable(String appId, int count) {
        unreachableByApp.merge(MarathonState.normalizeId(appId), count, Integer::sum);
    }

    int takeUnreachable(App app) {
        Integer count = unreachableByApp.remove(app.id());
        return count == null ? 0 : count;
    }

    /** The next {@code count} PUTs are applied, but answered 503 as if Marathon timed out. */
    void putsTimeOut(int count) {
        putsTimingOut.set(count);
    }

    boolean takePutTimeout() {
        return putsTimingOut.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }

    void healthOfApp(String appId, HealthMode mode) {
        healthByApp.put(MarathonState.normalizeId(appId), mode);
    }

    void healthOfImage(String image, HealthMode mode) {
        healthByImage.put(image, mode);
    }

    void startFailuresOfApp(String appId, boolean fail) {
        if (fail) {
            failingApps.add(MarathonState.normalizeId(appId));
        } else {
            failingApps.remove(MarathonState.normalizeId(appId));
        }
    }

    void startFailuresOfImage(String image, boolean fail) {
        if (fail) {
            failingImages.add(image);
        } else {
            failingImages.remove(image);
        }
    }

    HealthMode health(App app, Task task) {
        HealthMode byImage = task.image == null ? null : healthByImage.get(task.image);
        return byImage != null ? byImage : healthByApp.getOrDefault(app.id(), HealthMode.PASS);
    }

    boolean failsToStart(App app, Task task) {
        return failingApps.contains(app.id())
                || (task.image != null && failingImages.contains(task.image));
    }
}
