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
