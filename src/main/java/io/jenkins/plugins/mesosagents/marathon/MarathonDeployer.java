package io.jenkins.plugins.mesosagents.marathon;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The deploy engine behind the Marathon deploy step: render the definition, read the running
 * version, start the deployment ({@link DeploymentStarter}: locks, force, Marathon's deployment
 * limit, lost answers), then watch it until Marathon finishes it and settle ({@link RolloutWatch});
 * on the deadline, repeated task failures or an abort it rolls back ({@link Rollbacks}) unless told
 * not to, and fails with what happened. Marathon deployments never fail by themselves, hence the
 * deadline, derived from the app's health checks and upgrade strategy ({@link RolloutTiming})
 * unless given.
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
        Optional<ObjectNode> before = client.app(app.id());
        RolloutTiming timing = RolloutTiming.of(effectiveDefinition(app, before, request));
        Duration timeout = request.timeout() != null ? request.timeout() : timing.total();
        Instant deadline = clock.instant().plus(timeout);
        Pacing pacing = new Pacing(sleeper);
        DeploymentStarter.Started started =
                new DeploymentStarter(client, clock, pacing, listener)
                        .start(
                                app,
                                request,
                                deadline,
                                before.map(json -> json.path("version").asText(null)).orElse(null));
        listener.info(
                "Marathon deployment "
                        + (started.result().deploymentId() == null
                                ? "(already finished)"
                                : started.result().deploymentId())
                        + " started for "
                        + app.id()
                        + " (version "
                        + started.result().version()
                        + "); waiting up to "
                        + human(timeout)
                        + (request.timeout() == null
                                ? " (derived from the health checks and upgrade strategy: "
                                        + timing.describe()
                                        + ")"
                                : "")
                        + " for "
                        + app.instances()
                        + (app.hasHealthChecks() ? " healthy" : " running")
                        + " instance(s)");
        return new RolloutWatch(
                        client, clock, pacing, listener, app, request, started, before, timing,
                        deadline)
                .run();
    }

    /** With partialUpdate, fields the definition leaves out keep their running values. */
    private static ObjectNode effectiveDefinition(
            AppDefinition app, Optional<ObjectNode> before, DeployRequest request) {
        if (!request.partialUpdate() || before.isEmpty()) {
            return app.json();
        }
        ObjectNode merged = before.get().deepCopy();
        merged.setAll(app.json());
        return merged;
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
