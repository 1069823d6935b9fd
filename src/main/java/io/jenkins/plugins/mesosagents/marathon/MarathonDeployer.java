package io.jenkins.plugins.mesosagents.marathon;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The deploy engine behind the Marathon deploy step: render the definition, PUT it (waiting for or
 * forcing past a deployment that locks the app), then poll until the new deployment has left {@code
 * /v2/deployments} and the app runs the wanted instances of the new version, all healthy when it
 * has health checks. On the deadline, repeated task failures or an abort it rolls the deployment
 * back ({@code DELETE /v2/deployments/{id}}) unless told not to, and fails with what happened.
 * Marathon deployments never fail by themselves, hence the deadline.
 */
public final class MarathonDeployer {
    private final MarathonClient client;
    private final Clock clock;
    private final Sleeper sleeper;
    private final DeployListener listener;

    public MarathonDeployer(
            MarathonClient client, Clock clock, Sleeper sleeper, DeployListener listener) {
        this.client = Objects.requireNonNull(client, "client");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Renders only (no Marathon call): overrides, {@code ${VAR}}s and validation. */
    public static AppDefinition render(DeployRequest request) {
        return request.definitionJson() != null
                ? AppDefinitions.render(
                        request.definitionJson(),
                        request.sourceName(),
                        request.environment(),
                        request.overrides())
                : AppDefinitions.render(
                        request.definitionMap(),
                        request.sourceName(),
                        request.environment(),
                        request.overrides());
    }

    /**
     * Deploys and waits. Throws {@link InvalidAppDefinitionException} before any call when the
     * definition is bad, {@link MarathonException} when Marathon refuses a request, {@link
     * DeployFailedException} when the rollout did not become healthy in time (after rolling back),
     * and {@link InterruptedException} is turned into {@link DeployFailedException} with reason
     * ABORTED after the rollback (the interrupt flag stays set).
     */
    public DeployResult deploy(DeployRequest request) throws IOException {
        AppDefinition app = render(request);
        if (request.renderedFile() != null) {
            Path parent = request.renderedFile().toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(request.renderedFile(), app.toPrettyJson(), StandardCharsets.UTF_8);
        }
        if (request.dryRun()) {
            return dryRun(app, request);
        }
        Instant deadline = clock.instant().plus(request.timeout());
        DeploymentResult started = put(app, request, deadline);
        listener.info(
                "Marathon deployment "
                        + started.deploymentId()
                        + " started for "
                        + app.id()
                        + " (version "
                        + started.version()
                        + "); waiting up to "
                        + human(request.timeout())
                        + " for "
                        + app.instances()
                        + (app.hasHealthChecks() ? " healthy" : " running")
                        + " instance(s)");
        return watch(app, started, request, deadline);
    }

    private DeployResult dryRun(AppDefinition app, DeployRequest request) throws IOException {
        Optional<ObjectNode> running = client.app(app.id());
        List<String> diff =
                running.isPresent()
                        ? JsonDiff.diff(running.get(), app.json(), request.partialUpdate())
                        : JsonDiff.diff(app.json().objectNode(), app.json(), false);
        listener.info(
                "Dry run: would PUT /v2/apps"
                        + app.id()
                        + "?partialUpdate="
                        + request.partialUpdate()
                        + (request.force() ? "&force=true" : "")
                        + " with:\n"
                        + app.toPrettyJson().stripTrailing());
        listener.info(
                running.isPresent()
                        ? "Changes against the running app "
                                + app.id()
                                + ":\n"
                                + JsonDiff.format(diff)
                        : "App " + app.id() + " does not exist yet: it would be created.");
        return new DeployResult(app.id(), null, null, app, true, running.isPresent(), diff);
    }

    private DeploymentResult put(AppDefinition app, DeployRequest request, Instant deadline)
            throws IOException {
        boolean force = false;
        while (true) {
            try {
                return client.putApp(app.json(), force, request.partialUpdate());
            } catch (AppLockedException locked) {
                String blockers = describeBlockers(locked.deploymentIds());
                if (force) {
                    throw new DeployFailedException(
                            DeployFailedException.Reason.LOCKED,
                            "App "
                                    + app.id()
                                    + " is still locked by "
                                    + blockers
                                    + " even with force=true: "
                                    + locked.getMessage(),
                            null,
                            null);
                }
                if (request.force()) {
                    listener.info(
                            "App "
                                    + app.id()
                                    + " is locked by "
                                    + blockers
                                    + "; force: true cancels it and deploys anyway");
                    force = true;
                    continue;
                }
                listener.info(
                        "App "
                                + app.id()
                                + " is locked by "
                                + blockers
                                + "; waiting for it to finish (until "
                                + deadline
                                + "; force: true would cancel it instead)");
                waitUntilGone(app, locked.deploymentIds(), blockers, deadline, request);
            }
        }
    }

    private String describeBlockers(List<String> ids) throws IOException {
        List<String> parts = new ArrayList<>();
        List<Deployment> deployments = client.deployments();
        for (String id : ids) {
            String actions =
                    deployments.stream()
                            .filter(d -> d.id().equals(id))
                            .map(Deployment::currentActions)
                            .findFirst()
                            .orElse("");
            parts.add("deployment " + id + (actions.isEmpty() ? "" : " (" + actions + ")"));
        }
        return String.join(", ", parts);
    }

    private void waitUntilGone(
            AppDefinition app,
            List<String> ids,
            String blockers,
            Instant deadline,
            DeployRequest request)
            throws IOException {
        while (true) {
            Set<String> running = new LinkedHashSet<>();
            client.deployments().forEach(d -> running.add(d.id()));
            if (ids.stream().noneMatch(running::contains)) {
                return;
            }
            if (!clock.instant().isBefore(deadline)) {
                throw new DeployFailedException(
                        DeployFailedException.Reason.LOCKED,
                        "Deploy of "
                                + app.id()
                                + " gave up after "
                                + human(request.timeout())
                                + ": the app is still locked by "
                                + blockers
                                + ". Nothing was changed. Wait for that deployment, roll it back"
                                + " (DELETE /v2/deployments/<id>), or deploy with force: true.",
                        null,
                        null);
            }
            sleep(
                    request,
                    () ->
                            new DeployFailedException(
                                    DeployFailedException.Reason.ABORTED,
                                    "Deploy of "
                                            + app.id()
                                            + " was aborted while waiting for "
                                            + blockers
                                            + ". Nothing was changed.",
                                    null,
                                    null));
        }
    }

    private DeployResult watch(
            AppDefinition app, DeploymentResult started, DeployRequest request, Instant deadline)
            throws IOException {
        String id = started.deploymentId();
        Map<String, String> failures = new LinkedHashMap<>();
        String lastLine = null;
        String lastPollError = null;
        RolloutStatus status = null;
        boolean running = true;
        while (true) {
            Optional<ObjectNode> current = null;
            try {
                running = client.deployments().stream().anyMatch(d -> d.id().equals(id));
                current = client.app(app.id());
                lastPollError = null;
            } catch (InterruptedIOException e) {
                if (isInterrupt(e)) {
                    RolloutStatus last = status;
                    throw aborted(
                            () ->
                                    failure(
                                            failures,
                                            DeployFailedException.Reason.ABORTED,
                                            "the deploy was aborted",
                                            app,
                                            started,
                                            last,
                                            request,
                                            true));
                }
                lastPollError = pollFailed(e, lastPollError);
            } catch (MarathonException e) {
                if (e.status() != 0 && e.status() < 500) {
                    throw e;
                }
                lastPollError = pollFailed(e, lastPollError);
            } catch (IOException e) {
                lastPollError = pollFailed(e, lastPollError);
            }
            if (current != null && current.isPresent()) {
                status = RolloutStatus.of(current.get());
                if (!status.line().equals(lastLine)) {
                    lastLine = status.line();
                    listener.info(app.id() + ": " + lastLine);
                }
                if (status.lastTaskFailureId() != null
                        && Objects.equals(status.lastTaskFailureVersion(), started.version())) {
                    failures.put(status.lastTaskFailureId(), status.lastTaskFailure());
                }
                if (!running) {
                    if (status.complete()) {
                        listener.info(
                                "Marathon deployment "
                                        + id
                                        + " of "
                                        + app.id()
                                        + " finished: "
                                        + status.line());
                        return new DeployResult(
                                app.id(),
                                id,
                                started.version(),
                                app,
                                false,
                                !started.created(),
                                List.of());
                    }
                    if (current.get().path("deployments").size() > 0) {
                        String other = current.get().path("deployments").get(0).path("id").asText();
                        throw failure(
                                failures,
                                DeployFailedException.Reason.SUPERSEDED,
                                "deployment "
                                        + id
                                        + " was replaced by deployment "
                                        + other
                                        + " before it finished (someone else deployed or rolled"
                                        + " back "
                                        + app.id()
                                        + ")",
                                app,
                                started,
                                status,
                                request,
                                false);
                    }
                }
            }
            if (request.maxTaskFailures() > 0 && failures.size() >= request.maxTaskFailures()) {
                throw failure(
                        failures,
                        DeployFailedException.Reason.TASK_FAILURES,
                        failures.size()
                                + " task(s) of the new version failed"
                                + " (limit maxTaskFailures="
                                + request.maxTaskFailures()
                                + ")",
                        app,
                        started,
                        status,
                        request,
                        running);
            }
            if (!clock.instant().isBefore(deadline)) {
                throw failure(
                        failures,
                        DeployFailedException.Reason.DEADLINE,
                        "the rollout did not become "
                                + (app.hasHealthChecks() ? "healthy" : "ready")
                                + " within "
                                + human(request.timeout()),
                        app,
                        started,
                        status,
                        request,
                        running);
            }
            RolloutStatus last = status;
            sleep(
                    request,
                    () ->
                            failure(
                                    failures,
                                    DeployFailedException.Reason.ABORTED,
                                    "the deploy was aborted",
                                    app,
                                    started,
                                    last,
                                    request,
                                    true));
        }
    }

    /**
     * Marathon is briefly unavailable (leader election, restart): say so once per kind of error
     * (status or exception type, not per URL) and keep polling until the deadline.
     */
    private String pollFailed(Exception e, String lastKind) {
        String kind =
                e instanceof MarathonException m && m.status() != 0
                        ? "HTTP " + m.status()
                        : e.getClass().getName();
        if (!kind.equals(lastKind)) {
            listener.info(
                    "Polling Marathon failed, retrying until the deadline: " + e.getMessage());
        }
        return kind;
    }

    private interface Failure {
        DeployFailedException get() throws IOException;
    }

    private void sleep(DeployRequest request, Failure onAbort) throws IOException {
        try {
            sleeper.sleep(request.pollInterval());
        } catch (InterruptedException e) {
            throw aborted(onAbort);
        }
    }

    /**
     * The build was aborted: clear the interrupt so that the rollback call can run, then set it
     * again.
     */
    private static DeployFailedException aborted(Failure onAbort) throws IOException {
        Thread.interrupted();
        try {
            return onAbort.get();
        } finally {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * OkHttp reports an interrupt during a call as InterruptedIOException("interrupted"); timeouts
     * are not aborts.
     */
    private static boolean isInterrupt(InterruptedIOException e) {
        return !(e instanceof java.net.SocketTimeoutException)
                && (Thread.currentThread().isInterrupted() || "interrupted".equals(e.getMessage()));
    }

    private DeployFailedException failure(
            Map<String, String> taskFailures,
            DeployFailedException.Reason reason,
            String what,
            AppDefinition app,
            DeploymentResult started,
            RolloutStatus status,
            DeployRequest request,
            boolean deploymentRunning)
            throws IOException {
        StringBuilder message =
                new StringBuilder("Marathon deploy of ")
                        .append(app.id())
                        .append(" failed: ")
                        .append(what)
                        .append('.');
        message.append("\n  Deployment: ")
                .append(started.deploymentId())
                .append(" (version ")
                .append(started.version())
                .append(')');
        if (status != null) {
            message.append("\n  Progress: ").append(status.line());
            if (!taskFailures.isEmpty()) {
                List<String> recent = new ArrayList<>(taskFailures.values());
                message.append("\n  Task failures of the new version (")
                        .append(recent.size())
                        .append(", most recent last):");
                for (String failure :
                        recent.subList(Math.max(0, recent.size() - 3), recent.size())) {
                    message.append("\n    - ").append(failure);
                }
            } else if (status.lastTaskFailure() != null) {
                message.append("\n  Last task failure (an earlier version): ")
                        .append(status.lastTaskFailure());
            }
            for (String problem : status.healthProblems()) {
                message.append("\n  Health check: ").append(problem);
            }
        }
        String rollbackId = null;
        if (!deploymentRunning) {
            message.append("\n  Not rolled back: the deployment is no longer running.");
        } else if (!request.rollbackOnFailure()) {
            message.append("\n  Not rolled back (rollback disabled): deployment ")
                    .append(started.deploymentId())
                    .append(" keeps running; roll it back with DELETE /v2/deployments/")
                    .append(started.deploymentId());
        } else {
            try {
                DeploymentResult rollback = client.rollbackDeployment(started.deploymentId());
                rollbackId = rollback.deploymentId();
                message.append("\n  Rolled back: deployment ")
                        .append(rollbackId)
                        .append(
                                started.created()
                                        ? " removes " + app.id() + ", which this deploy created."
                                        : " restores the previous version of " + app.id() + ".");
            } catch (MarathonException e) {
                message.append(
                        e.status() == 404
                                ? "\n  Not rolled back: the deployment finished in the meantime."
                                : "\n  Rollback FAILED: " + e.getMessage());
            }
        }
        return new DeployFailedException(
                reason, message.toString(), started.deploymentId(), rollbackId);
    }

    static String human(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 120) {
            return seconds == 0 ? duration.toMillis() + " ms" : seconds + " s";
        }
        return seconds % 60 == 0
                ? seconds / 60 + " min"
                : seconds / 60 + " min " + seconds % 60 + " s";
    }
}
