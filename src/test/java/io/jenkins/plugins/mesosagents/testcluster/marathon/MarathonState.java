package io.jenkins.plugins.mesosagents.testcluster.marathon;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jenkins.plugins.mesosagents.testcluster.marathon.SimModel.App;
import io.jenkins.plugins.mesosagents.testcluster.marathon.SimModel.Deployment;
import io.jenkins.plugins.mesosagents.testcluster.marathon.SimModel.Task;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The simulated Marathon's apps, tasks and deployments, and the operations of its REST API. Every
 * public method runs under this object's lock; {@link #step()} advances all deployments by one step
 * (see {@link Rollout}). Versions are ISO-8601 instants with milliseconds, strictly increasing.
 */
final class MarathonState {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final Clock clock;
    private final SimConfig config;
    private final Map<String, App> apps = new LinkedHashMap<>();
    private final Map<String, Deployment> deployments = new LinkedHashMap<>();
    private final SimFaults faults = new SimFaults();
    private Instant lastVersion = Instant.EPOCH;
    private boolean paused;
    private int taskCounter;

    MarathonState(Clock clock) {
        this(clock, SimConfig.DEFAULT);
    }

    MarathonState(Clock clock, SimConfig config) {
        this.clock = clock;
        this.config = config;
    }

    SimConfig config() {
        return config;
    }

    Clock clock() {
        return clock;
    }

    static String normalizeId(String id) {
        return id.startsWith("/") ? id : "/" + id;
    }

    synchronized String newVersion() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        lastVersion = now.isAfter(lastVersion) ? now : lastVersion.plusMillis(1);
        return MARATHON_TIME.format(lastVersion);
    }

    String now() {
        return MARATHON_TIME.format(clock.instant());
    }

    /**
     * Marathon writes timestamps with exactly three fraction digits; Instant.toString() drops
     * them on a whole second, which the contract test caught once in a thousand runs.
     */
    private static final DateTimeFormatter MARATHON_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    // ---- fault control ----

    SimFaults faults() {
        return faults;
    }

    synchronized void pause(boolean paused) {
        this.paused = paused;
    }

    // ---- apps ----

    synchronized SimResponse listApps() {
        ObjectNode body = JSON.objectNode();
        ArrayNode list = body.putArray("apps");
        apps.values().forEach(app -> list.add(SimViews.appInfo(app, listed())));
        return SimResponse.json(200, body);
    }

    synchronized SimResponse getApp(String id) {
        App app = apps.get(normalizeId(id));
        return app == null
                ? notFound(id)
                : SimResponse.json(
                        200, JSON.objectNode().set("app", SimViews.appInfo(app, listed())));
    }

    synchronized SimResponse versions(String id) {
        App app = apps.get(normalizeId(id));
        if (app == null) {
            return notFound(id);
        }
        ArrayNode versions = JSON.arrayNode();
        List<String> newestFirst = new ArrayList<>(app.versions.keySet());
        java.util.Collections.reverse(newestFirst);
        newestFirst.forEach(versions::add);
        ObjectNode body = JSON.objectNode();
        body.set("versions", versions);
        return SimResponse.json(200, body);
    }

    synchronized SimResponse version(String id, String version) {
        App app = apps.get(normalizeId(id));
        if (app == null || !app.versions.containsKey(version)) {
            return SimResponse.message(
                    404, "App '" + normalizeId(id) + "' does not exist in version " + version);
        }
        return SimResponse.json(200, app.versions.get(version));
    }

    synchronized SimResponse tasks(String id) {
        App app = apps.get(normalizeId(id));
        if (app == null) {
            return notFound(id);
        }
        ObjectNode body = JSON.objectNode();
        ArrayNode tasks = body.putArray("tasks");
        app.tasks.forEach(task -> tasks.add(SimViews.taskJson(app, task)));
        return SimResponse.json(200, body);
    }

    /** POST /v2/apps. */
    synchronized SimResponse create(ObjectNode definition) {
        String id = normalizeId(definition.path("id").asText(""));
        if (apps.containsKey(id)) {
            return SimResponse.message(409, "An app with id [" + id + "] already exists.");
        }
        SimResponse invalid = validate(definition);
        if (invalid != null) {
            return invalid;
        }
        SimResponse tooMany = tooManyDeployments();
        if (tooMany != null) {
            return tooMany;
        }
        Deployment deployment = start(null, definition, "StartApplication");
        App app = apps.get(id);
        ObjectNode body = SimViews.appInfo(app, listed());
        return new SimResponse(
                201, body, Map.of("Location", id, "Marathon-Deployment-Id", deployment.id));
    }

    /** PUT /v2/apps/{id} (and PATCH with partial=true). */
    synchronized SimResponse put(String pathId, ObjectNode body, boolean force, boolean partial) {
        String id = normalizeId(pathId);
        ObjectNode definition = body.deepCopy();
        App app = apps.get(id);
        SimResponse tooMany = tooManyDeployments();
        if (tooMany != null) {
            return tooMany;
        }
        if (body.has("version")) {
            return rollbackTo(id, app, body, force);
        }
        if (app != null && partial) {
            ObjectNode merged = app.definition.deepCopy();
            merged.setAll(definition);
            definition = merged;
        }
        definition.put("id", id);
        SimResponse invalid = validate(definition);
        if (invalid != null) {
            return invalid;
        }
        if (app == null) {
            Deployment deployment = start(null, definition, "StartApplication");
            return deploymentResult(201, deployment);
        }
        SimResponse locked = lock(id, force);
        if (locked != null) {
            return locked;
        }
        boolean configChange =
                !withoutInstances(definition).equals(withoutInstances(app.definition));
        Deployment deployment =
                start(app, definition, configChange ? "RestartApplication" : "ScaleApplication");
        if (faults.takePutTimeout()) {
            // applied, but the answer is lost: Marathon maps its TimeoutException to 503
            // (MarathonExceptionMapper.scala:105 at v1.10.26)
            return SimResponse.message(503, "Request timed out (simulated)");
        }
        return deploymentResult(200, deployment);
    }

    /**
     * PUT with {@code {"version": v}}: a new version with the definition of version v
     * (AppHelpers.scala:120-130; only "id" may accompany "version": AppValidation.scala:314-324 at
     * v1.10.26).
     */
    private SimResponse rollbackTo(String id, App app, ObjectNode body, boolean force) {
        List<String> others = new ArrayList<>();
        body.fieldNames().forEachRemaining(f -> others.add(f));
        others.removeAll(List.of("id", "version"));
        if (!others.isEmpty()) {
            ObjectNode error = JSON.objectNode().put("message", "Object is not valid");
            error.putArray("details")
                    .addObject()
                    .put("path", "/")
                    .putArray("errors")
                    .add("The 'version' field may only be combined with the 'id' field.");
            return SimResponse.json(422, error);
        }
        String version = body.path("version").asText();
        if (app == null || !app.versions.containsKey(version)) {
            return notFound(id);
        }
        SimResponse locked = lock(id, force);
        if (locked != null) {
            return locked;
        }
        ObjectNode definition = app.versions.get(version).deepCopy();
        definition.remove(List.of("version", "versionInfo"));
        boolean configChange =
                !withoutInstances(SimViews.withDefaults(definition))
                        .equals(withoutInstances(SimViews.withDefaults(app.definition)));
        return deploymentResult(
                200,
                start(app, definition, configChange ? "RestartApplication" : "ScaleApplication"));
    }

    /** DELETE /v2/apps/{id}. */
    synchronized SimResponse delete(String pathId, boolean force) {
        String id = normalizeId(pathId);
        App app = apps.get(id);
        if (app == null) {
            return notFound(id);
        }
        SimResponse locked = tooManyOr(lock(id, force));
        if (locked != null) {
            return locked;
        }
        Deployment deployment = record(app, "StopApplication");
        app.stopping = true;
        return deploymentResult(200, deployment);
    }

    /** POST /v2/apps/{id}/restart: a new version with the same definition replaces every task. */
    synchronized SimResponse restart(String pathId, boolean force) {
        String id = normalizeId(pathId);
        App app = apps.get(id);
        if (app == null) {
            return notFound(id);
        }
        SimResponse locked = tooManyOr(lock(id, force));
        if (locked != null) {
            return locked;
        }
        return deploymentResult(200, start(app, app.definition.deepCopy(), "RestartApplication"));
    }

    // ---- deployments ----

    synchronized SimResponse listDeployments() {
        ArrayNode list = JSON.arrayNode();
        for (Deployment deployment : listed()) {
            ObjectNode json =
                    list.addObject().put("id", deployment.id).put("version", deployment.version);
            json.putArray("affectedApps").add(deployment.appId);
            json.putArray("affectedPods");
            json.putArray("steps")
                    .addObject()
                    .putArray("actions")
                    .addObject()
                    .put("action", deployment.action)
                    .put("app", deployment.appId);
            ArrayNode readiness =
                    json.putArray("currentActions")
                            .addObject()
                            .put("action", deployment.action)
                            .put("app", deployment.appId)
                            .putArray("readinessCheckResults");
            App app = apps.get(deployment.appId);
            if (app != null && app.hasReadinessChecks() && deployment.stopping < 0) {
                SimViews.readinessResults(app, readiness);
            }
            json.put("currentStep", 1).put("totalSteps", 1);
        }
        return SimResponse.json(200, list);
    }

    /**
     * DELETE /v2/deployments/{id}: force → 202 (cancel), else 200 and a deployment that restores
     * the previous state.
     */
    synchronized SimResponse deleteDeployment(String deploymentId, boolean force) {
        Deployment deployment = deployments.get(deploymentId);
        if (deployment == null || !deployment.waitingFor.isEmpty()) {
            return SimResponse.message(404, "DeploymentPlan " + deploymentId + " does not exist");
        }
        App app = apps.get(deployment.appId);
        if (force || app == null) {
            deployments.remove(deploymentId);
            return new SimResponse(202, null, Map.of());
        }
        SimResponse tooMany = tooManyDeployments();
        if (tooMany != null) {
            return tooMany;
        }
        deployments.remove(deploymentId);
        if (deployment.previousDefinition == null) {
            Deployment rollback = record(app, "StopApplication");
            app.stopping = true;
            return deploymentResult(200, rollback);
        }
        // the revert is a new root version deployed with force=true
        // (DeploymentsResource.scala:68-77 at v1.10.26): a new app version whose definition differs
        // from the running one, so every instance restarts, healthy old ones included
        ObjectNode previous = deployment.previousDefinition.deepCopy();
        boolean configChange = !withoutInstances(previous).equals(withoutInstances(app.definition));
        return deploymentResult(
                200,
                start(app, previous, configChange ? "RestartApplication" : "ScaleApplication"));
    }

    synchronized List<String> deploymentIds() {
        return listed().stream().map(d -> d.id).toList();
    }

    /** Deployments as /v2/deployments lists them: not those still waiting for cancelled ones. */
    private List<Deployment> listed() {
        return deployments.values().stream().filter(d -> d.waitingFor.isEmpty()).toList();
    }

    synchronized SimResponse queue() {
        ObjectNode body = JSON.objectNode();
        ArrayNode queue = body.putArray("queue");
        for (App app : apps.values()) {
            if (app.queued > 0) {
                queue.add(
                        SimQueue.item(
                                app, SimViews.appInfo(app, listed()), clock.instant(), now()));
            }
        }
        return SimResponse.json(200, body);
    }

    // ---- progress ----

    /**
     * One simulation step: tasks change state, health checks run, deployments progress or finish.
     */
    synchronized void step() {
        if (paused) {
            return;
        }
        for (Iterator<Deployment> it = deployments.values().iterator(); it.hasNext(); ) {
            Deployment cancelled = it.next();
            if (cancelled.stopping >= 0 && cancelled.stopping-- == 0) {
                it.remove();
                deployments.values().forEach(d -> d.waitingFor.remove(cancelled.id));
            }
        }
        for (Iterator<App> it = apps.values().iterator(); it.hasNext(); ) {
            App app = it.next();
            Deployment deployment =
                    deployments.values().stream()
                            .filter(d -> d.appId.equals(app.id()) && d.stopping < 0)
                            .filter(d -> d.waitingFor.isEmpty())
                            .findFirst()
                            .orElse(null);
            boolean locked = deployments.values().stream().anyMatch(d -> d.appId.equals(app.id()));
            new Rollout(this, app, deployment != null, deployment == null && locked, faults)
                    .advance();
            if (deployment != null && Rollout.finished(app)) {
                deployments.remove(deployment.id);
            }
            if (app.stopping && app.tasks.isEmpty() && deployment == null) {
                it.remove();
            }
        }
    }

    /**
     * Launches up to {@code count} tasks as far as the backoff delay and the offers allow; the rest
     * stays queued (/v2/queue).
     */
    int launch(App app, int count) {
        int launched = 0;
        if (count > 0 && app.queuedSince == null) {
            app.queuedSince = now();
        }
        while (launched < count && !clock.instant().isBefore(app.delayUntil)) {
            int host = config.offers().place(app, apps.values(), taskCounter);
            if (host == 0) {
                break;
            }
            Task task = launch(app);
            task.host = host;
            app.tasks.add(task);
            launched++;
        }
        app.queued = count - launched;
        if (app.queued == 0) {
            app.declinedOffers.clear();
            app.processedOffers = 0;
            app.queuedSince = null;
        }
        return launched;
    }

    /**
     * A task failed: the next launch waits backoffSeconds·backoffFactor^(n-1), at most
     * maxLaunchDelaySeconds (RateLimiter.scala at v1.10.26), in simulated seconds.
     */
    void backOff(App app) {
        app.failuresInARow++;
        if (config.marathonSecond() == null) {
            return;
        }
        double seconds =
                Math.min(
                        app.definition.path("backoffSeconds").asDouble(1)
                                * Math.pow(
                                        app.definition.path("backoffFactor").asDouble(1.15),
                                        app.failuresInARow - 1),
                        app.definition.path("maxLaunchDelaySeconds").asDouble(300));
        app.delayUntil = clock.instant().plus(config.seconds(seconds));
    }

    Task launch(App app) {
        Task task = new Task();
        String base = app.id().substring(1).replace('/', '_');
        String uuid = UUID.randomUUID().toString();
        task.instanceId = base + ".instance-" + uuid;
        task.id = task.instanceId + "._app." + (++taskCounter);
        task.version = app.version;
        task.configVersion = app.lastConfigChangeAt;
        task.stagedAt = now();
        task.image = app.definition.path("container").path("docker").path("image").asText(null);
        task.host = taskCounter % 3 + 1;
        task.marathonChecks = app.marathonLevelChecks();
        task.cpus = app.cpus();
        task.mem = app.mem();
        return task;
    }

    void recordFailure(App app, Task task, String state, String message) {
        app.lastTaskFailure =
                JSON.objectNode()
                        .put("appId", app.id())
                        .put("host", "agent-" + task.host + ".sim")
                        .put("message", message)
                        .put("state", state)
                        .put("taskId", task.id)
                        .put("timestamp", now())
                        .put("version", task.version)
                        .put("slaveId", "sim-agent-" + task.host);
    }

    // ---- helpers ----

    private SimResponse validate(ObjectNode definition) {
        ObjectNode invalid = AppValidation.check(definition);
        return invalid == null ? null : SimResponse.json(422, invalid);
    }

    /**
     * 403 when --max_running_deployments are running; checked for every deployable change, forced
     * ones and rollbacks included (GroupManagerImpl.scala:135, :194-202; Exception.scala:39-44;
     * MarathonExceptionMapper.scala:113 at v1.10.26).
     */
    private SimResponse tooManyDeployments() {
        int max = config.maxRunningDeployments();
        if (deployments.size() < max) {
            return null;
        }
        return SimResponse.message(
                403,
                "Max number ("
                        + max
                        + ") of running deployments is achieved. Wait for existing deployments to"
                        + " complete or cancel oneusing force=true parameter. You can increase max"
                        + " deployment number by using --max_running_deployments parameter but be"
                        + " advised that this can have negative effects on the performance.");
    }

    private SimResponse tooManyOr(SimResponse locked) {
        SimResponse tooMany = tooManyDeployments();
        return tooMany != null ? tooMany : locked;
    }

    /** Deployments cancelled by the next forced deployment of the app (see lock). */
    private List<String> cancelledByForce = List.of();

    private SimResponse lock(String id, boolean force) {
        cancelledByForce = List.of();
        List<Deployment> blocking =
                deployments.values().stream()
                        .filter(d -> d.appId.equals(id) && d.stopping < 0)
                        .toList();
        if (blocking.isEmpty()) {
            return null;
        }
        if (force) {
            if (config.forceWindowSteps() == 0) {
                blocking.forEach(d -> deployments.remove(d.id));
            } else {
                blocking.forEach(d -> d.stopping = config.forceWindowSteps());
                cancelledByForce = blocking.stream().map(d -> d.id).toList();
            }
            return null;
        }
        ObjectNode body =
                JSON.objectNode()
                        .put(
                                "message",
                                "App is locked by one or more deployments. Override with the option"
                                        + " '?force=true'. View details at '/v2/deployments/"
                                        + blocking.get(0).id
                                        + "'.");
        ArrayNode ids = body.putArray("deployments");
        blocking.forEach(d -> ids.addObject().put("id", d.id));
        return SimResponse.json(409, body);
    }

    private Deployment start(App existing, ObjectNode definition, String action) {
        String id = normalizeId(definition.path("id").asText());
        definition.put("id", id);
        App app = existing;
        Deployment deployment;
        if (app == null) {
            app = new App();
            app.definition = definition;
            apps.put(id, app);
            deployment = record(app, action);
            deployment.previousDefinition = null;
        } else {
            deployment = record(app, action);
        }
        String version = deployment.version;
        app.definition = definition;
        app.stopping = false;
        app.version = version;
        app.lastScalingAt = version;
        if (action.equals("RestartApplication") || existing == null) {
            app.lastConfigChangeAt = version;
        }
        app.versions.put(version, SimViews.versionedDefinition(app));
        return deployment;
    }

    private Deployment record(App app, String action) {
        Deployment deployment = new Deployment();
        deployment.id = UUID.randomUUID().toString();
        deployment.version = newVersion();
        deployment.appId = app.id();
        deployment.action = action;
        deployment.previousDefinition = app.definition.deepCopy();
        deployment.previousVersion = app.version;
        deployment.previousConfigChangeAt = app.lastConfigChangeAt;
        deployment.previousScalingAt = app.lastScalingAt;
        deployment.waitingFor = new ArrayList<>(cancelledByForce);
        cancelledByForce = List.of();
        deployments.put(deployment.id, deployment);
        return deployment;
    }

    private SimResponse deploymentResult(int status, Deployment deployment) {
        ObjectNode body =
                JSON.objectNode()
                        .put("deploymentId", deployment.id)
                        .put("version", deployment.version);
        return new SimResponse(status, body, Map.of("Marathon-Deployment-Id", deployment.id));
    }

    private static ObjectNode withoutInstances(ObjectNode definition) {
        ObjectNode copy = definition.deepCopy();
        copy.remove("instances");
        return copy;
    }

    private static SimResponse notFound(String id) {
        return SimResponse.message(404, "App '" + normalizeId(id) + "' does not exist");
    }
}
