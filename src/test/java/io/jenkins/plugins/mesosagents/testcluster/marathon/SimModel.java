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

        /** Launches asked for but not placed yet (the /v2/queue count). */
        int queued;

        /** Task failures since the last successful start (the launch backoff grows with them). */
        int failuresInARow;

        /** No launch before this instant (backoff). */
        java.time.Instant delayUntil = java.time.Instant.EPOCH;

        /** Offer statistics of the current launch attempt (/v2/queue processedOffersSummary). */
        final Map<String, Integer> declinedOffers = new LinkedHashMap<>();

        int processedOffers;
        String queuedSince;

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

        /** The first health check's field, with Marathon's default (HealthCheck.scala:402-405). */
        double healthSeconds(String field, double fallback) {
            return definition.path("healthChecks").path(0).path(field).asDouble(fallback);
        }

        /**
         * MESOS_HTTP, MESOS_HTTPS, MESOS_TCP and COMMAND checks run in the Mesos executor; HTTP,
         * HTTPS and TCP in Marathon (MarathonHealthCheckManager.scala:111-122).
         */
        boolean marathonLevelChecks() {
            String protocol =
                    definition.path("healthChecks").path(0).path("protocol").asText("HTTP");
            return !protocol.startsWith("MESOS_") && !protocol.equals("COMMAND");
        }

        boolean hasReadinessChecks() {
            return definition.path("readinessChecks").size() > 0;
        }

        double cpus() {
            return definition.path("cpus").asDouble(1.0);
        }

        double mem() {
            return definition.path("mem").asDouble(128.0);
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
        double cpus;
        double mem;
        java.time.Instant runningSince;
        java.time.Instant nextCheck;
        int runningSteps;
        boolean readinessPassed;

        /**
         * Healthy (and ready) once: Marathon counts such an instance for the deployment until it
         * terminates, even if it turns unhealthy later (ReadinessBehavior.scala:70, :78-81,
         * :145-148 at v1.10.26).
         */
        boolean counted;

        /** Whether the health checks of the task's version run in Marathon (else in Mesos). */
        boolean marathonChecks;

        boolean ready(boolean healthChecked) {
            return state.equals("TASK_RUNNING") && (!healthChecked || Boolean.TRUE.equals(alive));
        }

        boolean unreachable() {
            return state.equals("TASK_UNREACHABLE");
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

        /**
         * Deployments this forced one cancelled and that are still stopping: until they have, this
         * one is not listed (DeploymentManagerActor.scala:243-300, :171-173 at v1.10.26).
         */
        List<String> waitingFor = new ArrayList<>();

        /**
         * Steps a cancelled deployment still needs to stop (listed meanwhile); -1: not cancelled.
         */
        int stopping = -1;
    }
}
