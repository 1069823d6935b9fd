package io.jenkins.plugins.mesosagents.marathon;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Starts the deployment: {@code PUT /v2/apps/{id}}, waiting for (or, with force, cancelling) a
 * deployment that locks the app, waiting while Marathon runs its maximum number of deployments
 * (403), and, when the PUT's answer is lost (timeout, 503: Marathon may have applied it, as its
 * TimeoutException maps to 503, MarathonExceptionMapper.scala:105 at v1.10.26), looking the new
 * deployment up instead of leaving it untracked.
 */
final class DeploymentStarter {
    /** The started deployment and the deployments force=true cancelled to start it. */
    record Started(DeploymentResult result, List<String> cancelled) {}

    private final MarathonClient client;
    private final Clock clock;
    private final Pacing pacing;
    private final DeployListener listener;

    DeploymentStarter(MarathonClient client, Clock clock, Pacing pacing, DeployListener listener) {
        this.client = client;
        this.clock = clock;
        this.pacing = pacing;
        this.listener = listener;
    }

    Started start(AppDefinition app, DeployRequest request, Instant deadline, String versionBefore)
            throws IOException {
        boolean force = false;
        List<String> cancelled = List.of();
        String cancelledText = "";
        boolean toldBusy = false;
        while (true) {
            try {
                DeploymentResult result = put(app, request, force, versionBefore);
                if (!cancelled.isEmpty()) {
                    listener.info(
                            "WARNING: force: true cancelled "
                                    + cancelledText
                                    + ", not started by this deploy: Marathon stops it where it"
                                    + " is, without rolling it back, so whatever it was changing"
                                    + " is left half done and replaced by this deploy.");
                }
                return new Started(result, cancelled);
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
                    cancelled = locked.deploymentIds();
                    cancelledText = blockers;
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
                waitUntilGone(
                        app, locked.deploymentIds(), blockers, deadline, request.pollInterval());
            } catch (TooManyDeploymentsException busy) {
                if (!clock.instant().isBefore(deadline)) {
                    throw new DeployFailedException(
                            DeployFailedException.Reason.TOO_MANY_DEPLOYMENTS,
                            "Deploy of "
                                    + app.id()
                                    + " gave up at its deadline: Marathon still runs its maximum"
                                    + " number of deployments (--max_running_deployments) and"
                                    + " refuses new ones. Nothing was changed. "
                                    + busy.getMessage(),
                            null,
                            null);
                }
                if (!toldBusy) {
                    toldBusy = true;
                    listener.info(
                            "Marathon already runs its maximum number of deployments"
                                    + " (--max_running_deployments); waiting for one to finish"
                                    + " (until "
                                    + deadline
                                    + ")");
                }
                pacing.sleep(request.pollInterval(), () -> nothingChanged(app, "Marathon"));
            }
        }
    }

    private DeploymentResult put(
            AppDefinition app, DeployRequest request, boolean force, String versionBefore)
            throws IOException {
        try {
            return client.putApp(app.json(), force, request.partialUpdate());
        } catch (AppLockedException | TooManyDeploymentsException e) {
            throw e;
        } catch (java.io.InterruptedIOException e) {
            if (Pacing.isInterrupt(e)) {
                throw e;
            }
            // OkHttp's call timeout: the request may have been applied all the same
            return adopt(
                    app,
                    versionBefore,
                    new MarathonException(
                            "PUT /v2/apps"
                                    + app.id()
                                    + " got no answer from Marathon in time ("
                                    + e.getMessage()
                                    + ")",
                            e));
        } catch (MarathonException e) {
            if (e.status() != 503 && !(e.status() == 0 && isTimeout(e))) {
                throw e;
            }
            return adopt(app, versionBefore, e);
        }
    }

    private DeploymentResult adopt(AppDefinition app, String versionBefore, MarathonException e)
            throws IOException {
        Optional<DeploymentResult> adopted = lookUp(app, versionBefore);
        if (adopted.isEmpty()) {
            throw new MarathonException(
                    e.status(),
                    e.getMessage()
                            + "\nMarathon did not apply it: "
                            + app.id()
                            + " keeps its version and no deployment of it runs. Nothing"
                            + " was changed; run the deploy again.",
                    e.details());
        }
        DeploymentResult result = adopted.get();
        listener.info(
                e.getMessage().lines().findFirst().orElse("")
                        + "; but Marathon applied the change: "
                        + (result.deploymentId() == null
                                ? "version "
                                        + result.version()
                                        + " (its deployment already"
                                        + " finished)"
                                : "it started deployment "
                                        + result.deploymentId()
                                        + " (version "
                                        + result.version()
                                        + ")")
                        + ", watching that");
        return result;
    }

    private static boolean isTimeout(MarathonException e) {
        return e.getCause() instanceof java.io.InterruptedIOException;
    }

    /** The deployment the lost PUT started: the app's version moved past the one read before. */
    private Optional<DeploymentResult> lookUp(AppDefinition app, String versionBefore)
            throws IOException {
        Optional<ObjectNode> now = client.app(app.id());
        if (now.isEmpty()) {
            return Optional.empty();
        }
        String version = now.get().path("version").asText("");
        if (versionBefore != null && version.compareTo(versionBefore) <= 0) {
            return Optional.empty();
        }
        for (Deployment deployment : client.deployments()) {
            if (deployment.affectedApps().contains(app.id())
                    && deployment.version().equals(version)) {
                return Optional.of(
                        new DeploymentResult(deployment.id(), version, versionBefore == null));
            }
        }
        return Optional.of(new DeploymentResult(null, version, versionBefore == null));
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
            java.time.Duration pollInterval)
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
                                + " gave up at its deadline: the app is still locked by "
                                + blockers
                                + ". Nothing was changed. Wait for that deployment, roll it back"
                                + " (DELETE /v2/deployments/<id>), or deploy with force: true.",
                        null,
                        null);
            }
            pacing.sleep(pollInterval, () -> nothingChanged(app, blockers));
        }
    }

    private static DeployFailedException nothingChanged(AppDefinition app, String waitingFor) {
        return new DeployFailedException(
                DeployFailedException.Reason.ABORTED,
                "Deploy of "
                        + app.id()
                        + " was aborted while waiting for "
                        + waitingFor
                        + ". Nothing was changed.",
                null,
                null);
    }
}
