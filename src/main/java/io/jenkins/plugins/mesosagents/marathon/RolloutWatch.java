package io.jenkins.plugins.mesosagents.marathon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Watches one started deployment until Marathon finishes it, then settles. Marathon ends a
 * deployment once each new instance was healthy (or, without health checks, running) once
 * (ReadinessBehavior.scala:70, :78-81; TaskReplaceActor.scala:247-251 at v1.10.26), so leaving
 * {@code /v2/deployments} is the end of the rollout even if an instance turned bad meanwhile, and
 * settling watches the new version for a while longer. Failures are task failures of the new
 * version (lastTaskFailure, and tasks at maxConsecutiveFailures, which Mesos-level checks never
 * report otherwise), the deadline and the build's abort; each rolls back ({@link Rollbacks}) the
 * way that still works at that point. "Superseded" is only a newer configuration of the app from a
 * deployment this deploy neither started nor cancelled; a deployment this deploy cancelled with
 * force may still be listed while it stops, before this deploy's deployment appears
 * (DeploymentManagerActor.scala:243-300, :171-173).
 */
final class RolloutWatch {
    private enum Revert {
        CANCEL_DEPLOYMENT,
        PUT_PREVIOUS_VERSION,
        NONE
    }

    private final MarathonClient client;
    private final Clock clock;
    private final Pacing pacing;
    private final DeployListener listener;
    private final Rollbacks rollbacks;
    private final AppDefinition app;
    private final DeployRequest request;
    private final DeploymentStarter.Started started;
    private final String versionBefore;
    private final RolloutTiming timing;
    private final Duration rollbackTimeout;
    private final RolloutProgress progress;
    private final Map<String, String> failures;
    private Set<String> failuresWhileRunning = Set.of();
    private RolloutStatus status;
    private LaunchQueueStatus queue;
    private String lastPollError;
    private boolean deploymentRunning = true;
    private boolean seenRunning;
    private String told;

    RolloutWatch(
            MarathonClient client,
            Clock clock,
            Pacing pacing,
            DeployListener listener,
            AppDefinition app,
            DeployRequest request,
            DeploymentStarter.Started started,
            Optional<ObjectNode> before,
            RolloutTiming timing,
            Instant deadline) {
        this.client = client;
        this.clock = clock;
        this.pacing = pacing;
        this.listener = listener;
        this.rollbacks = new Rollbacks(client, clock, pacing);
        this.app = app;
        this.request = request;
        this.started = started;
        this.versionBefore = before.map(json -> json.path("version").asText(null)).orElse(null);
        this.timing = timing;
        this.progress =
                new RolloutProgress(
                        clock,
                        listener,
                        app.id(),
                        started.result().version(),
                        request.timeout() == null ? timing : null,
                        deadline);
        this.failures = progress.failures();
        this.rollbackTimeout =
                request.rollbackTimeout() != null
                        ? request.rollbackTimeout()
                        : before.map(RolloutTiming::of).orElse(timing).total();
    }

    private DeploymentResult result() {
        return started.result();
    }

    DeployResult run() throws IOException {
        while (true) {
            Optional<ObjectNode> current = poll(true);
            if (current != null && current.isPresent()) {
                observe(current.get());
                if (deploymentRunning) {
                    seenRunning = true;
                    failuresWhileRunning = Set.copyOf(failures.keySet());
                } else if (finishedOrSuperseded(current.get())) {
                    return settle();
                }
            }
            if (request.maxTaskFailures() > 0 && failures.size() >= request.maxTaskFailures()) {
                throw fail(
                        DeployFailedException.Reason.TASK_FAILURES,
                        failures.size()
                                + " task(s) of the new version failed (limit maxTaskFailures="
                                + request.maxTaskFailures()
                                + ")",
                        revert(),
                        true);
            }
            if (!clock.instant().isBefore(progress.deadline())) {
                throw fail(
                        DeployFailedException.Reason.DEADLINE,
                        "the rollout did not become "
                                + (app.hasHealthChecks() ? "healthy" : "ready")
                                + (request.timeout() != null
                                        ? " within " + MarathonDeployer.human(request.timeout())
                                        : " by its deadline derived from the app definition ("
                                                + timing.describe()
                                                + ")"),
                        revert(),
                        true);
            }
            pacing.sleep(request.pollInterval(), this::aborted);
        }
    }

    private DeployFailedException aborted() throws IOException {
        return fail(
                DeployFailedException.Reason.ABORTED, "the deploy was aborted", revert(), false);
    }

    /** Reads the deployments, the app and (while instances wait) its launch queue entry. */
    private Optional<ObjectNode> poll(boolean withDeployments) throws IOException {
        try {
            if (withDeployments) {
                String id = result().deploymentId();
                deploymentRunning =
                        id != null
                                && client.deployments().stream().anyMatch(d -> d.id().equals(id));
            }
            Optional<ObjectNode> current = client.app(app.id());
            queue = null;
            if (deploymentRunning
                    && current.isPresent()
                    && !RolloutStatus.of(current.get()).complete()) {
                queue = queue();
            }
            lastPollError = null;
            return current;
        } catch (InterruptedIOException e) {
            if (Pacing.isInterrupt(e)) {
                throw Pacing.aborted(this::aborted);
            }
            pollFailed(e);
        } catch (MarathonException e) {
            if (e.status() != 0 && e.status() < 500) {
                throw e;
            }
            pollFailed(e);
        } catch (IOException e) {
            pollFailed(e);
        }
        return null;
    }

    private LaunchQueueStatus queue() {
        try {
            return client.queue(app.id()).orElse(null);
        } catch (IOException | MarathonException e) {
            return null; // diagnostics only: a Marathon without /v2/queue still deploys
        }
    }

    /**
     * Marathon is briefly unavailable (leader election, restart): say so once per kind of error
     * (status or exception type, not per URL) and keep polling until the deadline.
     */
    private void pollFailed(Exception e) {
        String kind =
                e instanceof MarathonException m && m.status() != 0
                        ? "HTTP " + m.status()
                        : e.getClass().getName();
        if (!kind.equals(lastPollError)) {
            listener.info(
                    "Polling Marathon failed, retrying until the deadline: " + e.getMessage());
        }
        lastPollError = kind;
    }

    private void observe(ObjectNode current) {
        progress.observe(current, queue);
        status = progress.status();
    }

    /** Our deployment is no longer listed: decide whether it finished (true) or keep waiting. */
    private boolean finishedOrSuperseded(ObjectNode current) throws IOException {
        String config =
                current.path("versionInfo")
                        .path("lastConfigChangeAt")
                        .asText(current.path("version").asText(""));
        List<String> others = new ArrayList<>();
        List<String> stopping = new ArrayList<>();
        for (JsonNode deployment : current.path("deployments")) {
            String id = deployment.path("id").asText();
            if (started.cancelled().contains(id)) {
                stopping.add(id);
            } else if (!id.equals(result().deploymentId())) {
                others.add(id);
            }
        }
        if (result().version() != null && config.compareTo(result().version()) > 0) {
            throw fail(
                    DeployFailedException.Reason.SUPERSEDED,
                    (others.isEmpty()
                                    ? "the app's configuration was replaced by version "
                                            + config
                                            + " before deployment "
                                            + result().deploymentId()
                                            + " finished"
                                    : "deployment "
                                            + result().deploymentId()
                                            + " was replaced by deployment "
                                            + others.get(0)
                                            + " before it finished")
                            + " (someone else deployed or rolled back "
                            + app.id()
                            + ")",
                    Revert.NONE,
                    false);
        }
        if (!others.isEmpty()) {
            tell(
                    "Deployment "
                            + others.get(0)
                            + ", not started by this deploy, now runs on "
                            + app.id()
                            + " (e.g. a scale); the configuration of version "
                            + result().version()
                            + " still applies: watching it");
            return false;
        }
        if (!stopping.isEmpty() || (!started.cancelled().isEmpty() && !seenRunning)) {
            tell(
                    "Waiting for the cancelled deployment(s) "
                            + String.join(", ", stopping.isEmpty() ? started.cancelled() : stopping)
                            + " to stop; Marathon starts deployment "
                            + result().deploymentId()
                            + " after that");
            return stopping.isEmpty() && status.complete();
        }
        return true;
    }

    private void tell(String line) {
        if (!line.equals(told)) {
            told = line;
            listener.info(line);
        }
    }

    private DeployResult settle() throws IOException {
        listener.info(
                "Marathon deployment "
                        + (result().deploymentId() == null
                                ? "of version " + result().version()
                                : result().deploymentId())
                        + " of "
                        + app.id()
                        + " finished: "
                        + status.line());
        DeployResult done =
                new DeployResult(
                        app.id(),
                        result().deploymentId(),
                        result().version(),
                        app,
                        false,
                        !result().created(),
                        List.of());
        Duration settle = request.settleTime() != null ? request.settleTime() : timing.settle();
        if (settle.isZero()) {
            return done;
        }
        listener.info(
                "Settling: watching "
                        + app.id()
                        + " for "
                        + MarathonDeployer.human(settle)
                        + (request.settleTime() == null
                                ? " (derived from its health checks: about the time they need to"
                                        + " kill an instance that turned bad)"
                                : "")
                        + " before calling the deploy healthy");
        Instant start = clock.instant();
        Instant end = start.plus(settle);
        while (true) {
            Optional<ObjectNode> current = poll(false);
            if (current != null && current.isPresent()) {
                observe(current.get());
                String config =
                        current.get()
                                .path("versionInfo")
                                .path("lastConfigChangeAt")
                                .asText(current.get().path("version").asText(""));
                if (result().version() != null && config.compareTo(result().version()) > 0) {
                    listener.info(
                            app.id()
                                    + " got a newer configuration (version "
                                    + config
                                    + ") from someone else while settling: stopped watching");
                    return done;
                }
                if (!failuresWhileRunning.containsAll(failures.keySet())) {
                    throw fail(
                            DeployFailedException.Reason.TASK_FAILURES,
                            "a task of the new version failed after Marathon finished the"
                                    + " deployment, while settling ("
                                    + MarathonDeployer.human(
                                            Duration.between(start, clock.instant()))
                                    + " into "
                                    + MarathonDeployer.human(settle)
                                    + ")",
                            Revert.PUT_PREVIOUS_VERSION,
                            true);
                }
            }
            if (!clock.instant().isBefore(end)) {
                listener.info(
                        "Settled: "
                                + app.id()
                                + " stayed without task failures for "
                                + MarathonDeployer.human(settle)
                                + " ("
                                + (status == null ? "?" : status.line())
                                + ")");
                return done;
            }
            pacing.sleep(
                    request.pollInterval(),
                    () ->
                            fail(
                                    DeployFailedException.Reason.ABORTED,
                                    "the deploy was aborted while settling",
                                    Revert.PUT_PREVIOUS_VERSION,
                                    false));
        }
    }

    /**
     * How a failure now can be undone: cancel the running deployment, or redeploy the old version.
     */
    private Revert revert() {
        return deploymentRunning ? Revert.CANCEL_DEPLOYMENT : Revert.PUT_PREVIOUS_VERSION;
    }

    private DeployFailedException fail(
            DeployFailedException.Reason reason, String what, Revert revert, boolean wait)
            throws IOException {
        StringBuilder message = FailureReport.of(app.id(), what, result(), status, queue, failures);
        String rollbackId = null;
        if (revert == Revert.NONE) {
            message.append("\n  Not rolled back: the deployment is no longer running.");
        } else if (!request.rollbackOnFailure()) {
            message.append("\n  Not rolled back (rollback disabled): ")
                    .append(
                            revert == Revert.CANCEL_DEPLOYMENT
                                    ? "deployment "
                                            + result().deploymentId()
                                            + " keeps running; roll it back with DELETE"
                                            + " /v2/deployments/"
                                            + result().deploymentId()
                                    : "the new version stays; roll back with PUT /v2/apps"
                                            + app.id()
                                            + " {\"version\": \""
                                            + versionBefore
                                            + "\"}");
        } else {
            Rollbacks.Outcome outcome =
                    revert == Revert.CANCEL_DEPLOYMENT
                            ? rollbacks.revertDeployment(
                                    app, result(), rollbackTimeout, request.pollInterval(), wait)
                            : rollbacks.revertToVersion(
                                    app,
                                    versionBefore,
                                    rollbackTimeout,
                                    request.pollInterval(),
                                    wait);
            rollbackId = outcome.deploymentId();
            message.append(outcome.text());
        }
        return new DeployFailedException(
                reason, message.toString(), result().deploymentId(), rollbackId);
    }
}
