package io.jenkins.plugins.mesosagents.testcluster.marathon;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mutable records of the simulated Marathon; only {@link MarathonState} touches them, under its
 * lock.
 */
final class SimModel {
    private SimModel() {}

    /** An app: its current definition, versions and tasks. */
    static final class App {
        ObjectNode definition;
        String version;
        String lastConfigChangeAt;
        String lastScalingAt;
        final Map<String, ObjectNode> versions = new LinkedHashMap<>();
        final List<Task> tasks = new ArrayList<>();
        ObjectNode lastTaskFailure;
        boolean stopping;

        String id() {
            return definition.path("id").asText();
        }

        int instances() {
            return definition.path("instances").asInt(1);
        }

        boolean healthChecked() {
            return definition.path("healthChecks").size() > 0;
        }

        int maxConsecutiveFailures() {
            return definition.path("healthChecks").path(0).path("maxConsecutiveFailures").asInt(3);
        }
    }

    /** A task; {@code configVersion} is the app's lastConfigChangeAt when it was launched. */
    static final class Task {
        String id;
        String instanceId;
        String version;
        String configVersion;
        String image;
        String state = "TASK_STAGING";
        String stagedAt;
        String startedAt;
        int host;
        Boolean alive;
        int consecutiveFailures;
        String firstSuccess;
        String lastSuccess;
        String lastFailure;
        String lastFailureCause;

        boolean ready(boolean healthChecked) {
            return state.equals("TASK_RUNNING") && (!healthChecked || Boolean.TRUE.equals(alive));
        }
    }

    /**
     * A running deployment of one app; {@code previous*} is what a rollback restores (null: the app
     * was created).
     */
    static final class Deployment {
        String id;
        String version;
        String appId;
        String action;
        ObjectNode previousDefinition;
        String previousVersion;
        String previousConfigChangeAt;
        String previousScalingAt;
    }
}
