package io.jenkins.plugins.mesosagents.testcluster.mesos;

import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.Parameter;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.Volume;

/**
 * The master's TaskInfo checks that the simulator applies before a launch reaches an agent, in
 * Mesos 1.11.0's words (src/master/validation.cpp:1620-1641 runs them; a failure becomes TASK_ERROR
 * / REASON_TASK_INVALID, src/master/master.cpp:4915-4927). Resource accounting and duplicate task
 * ids stay in {@link TaskLauncher}.
 */
final class TaskValidation {
    private TaskValidation() {}

    /** Returns the master's error message, or null when the task passes. */
    static String validate(TaskInfo t) {
        String id = invalidId(t.getTaskId().getValue());
        if (id != null) {
            return id;
        }
        // master/validation.cpp:1444-1447
        if (t.getResourcesCount() == 0) {
            return "Task uses no resources";
        }
        // master/validation.cpp:1533-1540
        if (t.hasContainer()) {
            String container = invalidContainer(t.getContainer());
            if (container != null) {
                return "Task's `ContainerInfo` is invalid: " + container;
            }
        }
        return null;
    }

    /** common/validation.cpp:46-73 (validateID), NAME_MAX being 255 on Linux. */
    static String invalidId(String id) {
        if (id.isEmpty()) {
            return "ID must not be empty";
        }
        if (id.length() > 255) {
            return "ID must not be greater than 255 characters";
        }
        if (id.equals(".") || id.equals("..")) {
            return "'" + id + "' is disallowed";
        }
        if (id.chars().anyMatch(c -> Character.isISOControl(c) || c == '/' || c == '\\')) {
            return "'" + id + "' contains invalid characters";
        }
        return null;
    }

    /** common/validation.cpp:279-319 (validateContainerInfo) with :213-230 (validateVolume). */
    private static String invalidContainer(ContainerInfo c) {
        for (Volume v : c.getVolumesList()) {
            int set = (v.hasHostPath() ? 1 : 0) + (v.hasImage() ? 1 : 0) + (v.hasSource() ? 1 : 0);
            if (set != 1) {
                return "Invalid volume: Only one of them should be set: 'host_path', 'image' and"
                        + " 'source'";
            }
        }
        if (c.getType() == ContainerInfo.Type.DOCKER) {
            if (!c.hasDocker()) {
                return "DockerInfo 'docker' is not set for DOCKER typed ContainerInfo";
            }
            for (Parameter p : c.getDocker().getParametersList()) {
                if (p.getKey().equals("name")) {
                    return "Parameter in DockerInfo must not be 'name'";
                }
            }
        }
        return null;
    }
}
