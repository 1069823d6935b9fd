package io.jenkins.plugins.mesosagents.testcluster.mesos;

import com.google.protobuf.ByteString;

import io.jenkins.plugins.mesosagents.testcluster.mesos.Entities.Agent;
import io.jenkins.plugins.mesosagents.testcluster.mesos.Entities.AgentState;
import io.jenkins.plugins.mesosagents.testcluster.mesos.Entities.Framework;
import io.jenkins.plugins.mesosagents.testcluster.mesos.Entities.OfferEntry;
import io.jenkins.plugins.mesosagents.testcluster.mesos.Entities.Task;

import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo.Capability.Type;
import org.apache.mesos.v1.Protos.MasterInfo;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.Protos.TimeInfo;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The leading master's behaviour: frameworks, subscriptions, offers, tasks and status updates.
 * Every method runs on the single loop thread, which owns all state; HTTP threads and process
 * callbacks hop onto it.
 */
final class Master {
    private static final Logger LOG = Logger.getLogger(Master.class.getName());

    final MesosSimConfig config;
    final ScheduledExecutorService loop;
    final ExecutorService io;
    final String clusterId = UUID.randomUUID().toString();
    final Map<String, Agent> agents = new LinkedHashMap<>();
    final Map<String, Framework> frameworks = new LinkedHashMap<>();

    /**
     * Ids of removed frameworks, oldest first, bounded like {@code frameworks.completed}
     * (master.hpp:2172-2176, a BoundedHashMap of {@code --max_completed_frameworks}, default 50 in
     * master/constants.hpp:100, which drops its oldest entry when full and keeps nothing at
     * capacity 0: stout boundedhashmap.hpp:39-58). In memory only, so a new leader starts with
     * none.
     */
    final Set<String> removedFrameworks =
            java.util.Collections.newSetFromMap(
                    new LinkedHashMap<>() {
                        @Override
                        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                            return size() > config.maxCompletedFrameworks();
                        }
                    });

    /** Roles the authorizer does not let any principal register with (an ACL, at runtime). */
    final Set<String> unauthorizedRoles = new HashSet<>();
    final Allocator allocator = new Allocator(this);
    final AgentFaults agentFaults = new AgentFaults(this);
    final AmnesiaFailover amnesia;
    final UpdateFaults updateFaults = new UpdateFaults();
    private final TaskLauncher launcher;
    MasterInfo leader;
    private int frameworkSeq;

    Master(MesosSimConfig config, ScheduledExecutorService loop, ExecutorService io) {
        this.config = config;
        this.loop = loop;
        this.io = io;
        int i = 0;
        for (AgentConfig a : config.agents()) {
            Agent agent = new Agent(clusterId + "-S" + i++, a);
            agents.put(agent.id, agent);
        }
        this.launcher = new TaskLauncher(this);
        this.amnesia = new AmnesiaFailover(this, config.amnesia());
    }

    // ---------------------------------------------------------------- subscription

    Subscription subscribe(Call call, boolean json, String principal) {
        Call.Subscribe s = call.getSubscribe();
        FrameworkInfo info = s.getFrameworkInfo();
        if (principal != null && !info.hasPrincipal()) {
            info = info.toBuilder().setPrincipal(principal).build();
        }
        Subscription sub = new Subscription(json);
        String invalid = FrameworkValidation.validate(info, s.getSuppressedRolesList());
        if (invalid != null) {
            sub.fail(invalid);
            return sub;
        }
        // master.cpp:2605-2612; an id not (or no longer) in the bounded list is taken as a
        // framework from before a failover and recovered under that id (master.cpp:2802-2813)
        if (info.hasId() && removedFrameworks.contains(info.getId().getValue())) {
            sub.fail("Framework has been removed");
            return sub;
        }
        java.util.TreeSet<String> roles = new java.util.TreeSet<>(info.getRolesList());
        if (roles.stream().anyMatch(unauthorizedRoles::contains)) {
            // master.cpp:2648-2650 and 2743-2755: ERROR on the 200 stream, then close;
            // authorization.cpp:405-411 words the action, stout's stringify(set) the roles
            sub.fail(
                    "Not authorized to register framework "
                            + (info.hasId() ? info.getId().getValue() : "")
                            + " with roles { "
                            + String.join(", ", roles)
                            + " }");
            return sub;
        }
        Framework fw = info.hasId() ? frameworks.get(info.getId().getValue()) : null;
        if (fw == null) {
            String id =
                    info.hasId()
                            ? info.getId().getValue()
                            : String.format("%s-%04d", clusterId, frameworkSeq++);
            fw = new Framework(id, info);
            frameworks.put(id, fw);
        } else {
            String disallowed = FrameworkValidation.disallowedUpdate(fw.info, info);
            if (disallowed != null) {
                sub.fail(disallowed);
                return sub;
            }
            if (fw.subscription != null) {
                fw.subscription.fail("Framework failed over");
            }
            if (fw.failoverTimer != null) {
                fw.failoverTimer.cancel(false);
                fw.failoverTimer = null;
            }
            allocator.dropOffers(fw, false);
        }
        fw.info = info.toBuilder().setId(FrameworkID.newBuilder().setValue(fw.id)).build();
        fw.subscription = sub;
        fw.suppressedRoles = new TreeSet<>(s.getSuppressedRolesList());
        sub.send(
                Event.newBuilder()
                        .setType(Event.Type.SUBSCRIBED)
                        .setSubscribed(
                                Event.Subscribed.newBuilder()
                                        .setFrameworkId(FrameworkID.newBuilder().setValue(fw.id))
                                        .setHeartbeatIntervalSeconds(
                                                config.heartbeatInterval().toMillis() / 1000.0)
                                        .setMasterInfo(leader))
                        .build());
        Event heartbeat = Event.newBuilder().setType(Event.Type.HEARTBEAT).build();
        sub.send(heartbeat);
        long hb = Math.max(1, config.heartbeatInterval().toMillis());
        sub.heartbeat =
                loop.scheduleWithFixedDelay(
                        () -> sub.send(heartbeat), hb, hb, TimeUnit.MILLISECONDS);
        LOG.fine(() -> "framework " + s.getFrameworkInfo().getName() + " subscribed");
        allocator.allocateSoon();
        Framework subscribed = fw;
        subscribed.tasks.values().forEach(this::forwardHead);
        return sub;
    }

    /** The subscription's connection ended (peer left, or the master dropped it). */
    void disconnected(Subscription sub) {
        sub.close();
        for (Framework fw : frameworks.values()) {
            if (fw.subscription == sub) {
                fw.subscription = null;
                allocator.dropOffers(fw, false);
                long timeoutMillis = (long) (fw.info.getFailoverTimeout() * 1000);
                fw.failoverTimer =
                        loop.schedule(
                                () -> removeFramework(fw),
                                Math.max(0, timeoutMillis),
                                TimeUnit.MILLISECONDS);
            }
        }
    }

    void removeFramework(Framework fw) {
        if (fw.subscription != null) {
            fw.subscription.close();
        }
        if (fw.failoverTimer != null) {
            fw.failoverTimer.cancel(false);
        }
        allocator.dropOffers(fw, false);
        for (Task t : fw.tasks.values()) {
            if (t.retry != null) {
                t.retry.cancel(false);
            }
            if (t.process != null) {
                t.process.terminate(config.killGracePeriod().toMillis());
            }
        }
        fw.tasks.clear();
        frameworks.remove(fw.id);
        removedFrameworks.add(fw.id);
    }

    /**
     * A new master took over: every connection is gone and failover timers are not carried over
     * (MESOS-4659).
     */
    void leaderChanged(MasterInfo newLeader) {
        boolean hadLeader = leader != null;
        leader = newLeader;
        if (!hadLeader) {
            return;
        }
        for (Framework fw : frameworks.values()) {
            if (fw.subscription != null) {
                fw.subscription.close();
                fw.subscription = null;
            }
            if (fw.failoverTimer != null) {
                fw.failoverTimer.cancel(false);
                fw.failoverTimer = null;
            }
        }
        allocator.offers.clear();
        removedFrameworks.clear();
        amnesia.failedOver();
    }

    // ---------------------------------------------------------------- calls

    HttpReply handle(Call call, String streamId, String principal, boolean json) {
        Framework fw = frameworks.get(call.getFrameworkId().getValue());
        if (fw == null) {
            return HttpReply.text(400, "Framework cannot be found");
        }
        if (principal != null
                && fw.info.hasPrincipal()
                && !principal.equals(fw.info.getPrincipal())) {
            return HttpReply.text(
                    400,
                    "Authenticated principal '"
                            + principal
                            + "' does not match principal '"
                            + fw.info.getPrincipal()
                            + "' set in `FrameworkInfo`");
        }
        if (fw.subscription == null) {
            return HttpReply.text(403, "Framework is not subscribed");
        }
        if (streamId == null) {
            return HttpReply.text(
                    400, "All non-subscribe calls should include the 'Mesos-Stream-Id' header");
        }
        if (!streamId.equals(fw.subscription.streamId)) {
            return HttpReply.text(
                    400,
                    "The stream ID '"
                            + streamId
                            + "' included in this request didn't match the"
                            + " stream ID currently associated with framework ID "
                            + fw.id);
        }
        switch (call.getType()) {
            case TEARDOWN -> removeFramework(fw);
            case ACCEPT -> accept(fw, call.getAccept());
            case DECLINE -> allocator.decline(fw, call.getDecline());
            case REVIVE -> allocator.revive(fw, call.getRevive().getRolesList());
            case SUPPRESS ->
                    fw.suppressedRoles.addAll(
                            call.getSuppress().getRolesCount() == 0
                                    ? fw.roles()
                                    : call.getSuppress().getRolesList());
            case KILL -> launcher.kill(fw, call.getKill());
            case ACKNOWLEDGE -> acknowledge(fw, call.getAcknowledge());
            case RECONCILE -> reconcile(fw, call.getReconcile().getTasksList());
            case RECONCILE_OPERATIONS -> {
                return HttpReply.message(
                        200,
                        org.apache.mesos.v1.scheduler.Protos.Response.newBuilder()
                                .setType(
                                        org.apache.mesos.v1.scheduler.Protos.Response.Type
                                                .RECONCILE_OPERATIONS)
                                .setReconcileOperations(
                                        org.apache.mesos.v1.scheduler.Protos.Response
                                                .ReconcileOperations.getDefaultInstance())
                                .build(),
                        json);
            }
            case UPDATE_FRAMEWORK -> {
                return updateFramework(fw, call.getUpdateFramework());
            }
            case ACCEPT_INVERSE_OFFERS,
                            DECLINE_INVERSE_OFFERS,
                            SHUTDOWN,
                            ACKNOWLEDGE_OPERATION_STATUS,
                            MESSAGE,
                            REQUEST ->
                    LOG.fine(
                            () ->
                                    call.getType()
                                            + " accepted and ignored: nothing to act on in the"
                                            + " simulator");
            default -> {
                return HttpReply.text(501, "Received unexpected '" + call.getType() + "' call");
            }
        }
        return HttpReply.text(202, "");
    }

    private HttpReply updateFramework(Framework fw, Call.UpdateFramework u) {
        FrameworkInfo info = u.getFrameworkInfo();
        String invalid = FrameworkValidation.validate(info, u.getSuppressedRolesList());
        if (invalid == null) {
            invalid = FrameworkValidation.disallowedUpdate(fw.info, info);
        }
        if (invalid != null) {
            return HttpReply.text(400, invalid);
        }
        Set<String> oldRoles = new HashSet<>(fw.roles());
        fw.info = info.toBuilder().setId(FrameworkID.newBuilder().setValue(fw.id)).build();
        fw.suppressedRoles = new TreeSet<>(u.getSuppressedRolesList());
        oldRoles.removeAll(fw.roles());
        for (OfferEntry o : List.copyOf(allocator.offers.values())) {
            if (o.frameworkId.equals(fw.id) && oldRoles.contains(o.role)) {
                allocator.rescind(o);
            }
        }
        allocator.allocateSoon();
        return HttpReply.text(200, "");
    }

    private void accept(Framework fw, Call.Accept a) {
        List<OfferEntry> valid = new ArrayList<>();
        String invalid = null;
        Set<String> seen = new HashSet<>();
        for (OfferID id : a.getOfferIdsList()) {
            OfferEntry o = allocator.offers.get(id.getValue());
            if (!seen.add(id.getValue())) {
                invalid = "Duplicate offer " + id.getValue() + " in the same accept call";
            } else if (o == null || !o.frameworkId.equals(fw.id)) {
                invalid = "Offer " + id.getValue() + " is no longer valid";
            } else {
                valid.add(o);
            }
        }
        if (a.getOfferIdsCount() == 0) {
            invalid = "No offers specified";
        } else if (valid.stream().map(o -> o.agentId).distinct().count() > 1) {
            invalid = "Aggregated offers must belong to one single agent";
        } else if (valid.stream().map(o -> o.role).distinct().count() > 1) {
            invalid = "Aggregated offers must be allocated to the same role";
        }
        valid.forEach(o -> allocator.offers.remove(o.id));
        if (invalid != null) {
            String message = invalid;
            TaskState lost =
                    fw.has(Type.PARTITION_AWARE) ? TaskState.TASK_DROPPED : TaskState.TASK_LOST;
            for (TaskInfo t : TaskLauncher.tasksOf(a.getOperationsList())) {
                sendMasterUpdate(
                        fw,
                        t.getTaskId(),
                        t.hasAgentId() ? t.getAgentId() : null,
                        lost,
                        TaskStatus.Reason.REASON_INVALID_OFFERS,
                        message);
            }
            allocator.allocateSoon();
            return;
        }
        Agent agent = agents.get(valid.get(0).agentId);
        Map<String, ResourceBag> remaining = new LinkedHashMap<>();
        for (OfferEntry o : valid) {
            o.pools.forEach((pool, bag) -> remaining.merge(pool, bag, ResourceBag::plus));
        }
        for (Offer.Operation op : a.getOperationsList()) {
            switch (op.getType()) {
                case LAUNCH ->
                        op.getLaunch()
                                .getTaskInfosList()
                                .forEach(t -> launcher.launch(fw, agent, t, remaining));
                case LAUNCH_GROUP ->
                        op.getLaunchGroup()
                                .getTaskGroup()
                                .getTasksList()
                                .forEach(t -> launcher.launch(fw, agent, t, remaining));
                default -> LOG.warning("operation " + op.getType() + " is not simulated; ignored");
            }
        }
        if (remaining.values().stream().anyMatch(b -> !b.isEmpty())) {
            double refuse = a.hasFilters() ? a.getFilters().getRefuseSeconds() : 5.0;
            allocator.filter(fw, agent.id, valid.get(0).role, refuse);
        }
    }

    /**
     * Master::acknowledge (master.cpp:5833-5920): dropped unless the agent is registered and
     * connected (5848-5866), otherwise passed to the agent whether or not the master knows the
     * task; the agent's status update stream takes it if it matches the head.
     */
    private void acknowledge(Framework fw, Call.Acknowledge ack) {
        Agent agent = agents.get(ack.getAgentId().getValue());
        if (agent == null || agent.state != AgentState.ACTIVE) {
            return;
        }
        Task t = fw.tasks.get(ack.getTaskId().getValue());
        if (t == null || t.agent != agent) {
            return;
        }
        TaskStatus head = t.pending.peek();
        if (head != null && head.getUuid().equals(ack.getUuid())) {
            t.pending.poll();
            if (t.retry != null) {
                t.retry.cancel(false);
                t.retry = null;
            }
            if (!t.pending.isEmpty()) {
                t.retryMillis = config.statusUpdateRetryInterval().toMillis();
                forwardHead(t);
            } else if (Entities.isTerminal(t.agentState) && t.agent.state == AgentState.ACTIVE) {
                fw.complete(t);
            }
        }
    }

    /**
     * A task in {@code framework->tasks} of a real master: on a registered agent. Tasks of an
     * unreachable agent live in {@code unreachableTasks}, those of an agent that has not
     * reregistered after a failover nowhere; {@code Framework::getTask}
     * (master/framework.cpp:138-145) finds neither.
     */
    Task knownTask(Framework fw, String taskId) {
        Task t = fw.tasks.get(taskId);
        return t != null && t.agent.state == AgentState.ACTIVE ? t : null;
    }

    /** Master::reconcile(Framework*, Call::Reconcile), master.cpp:8939-9152. */
    void reconcile(Framework fw, List<Call.Reconcile.Task> which) {
        boolean pa = fw.has(Type.PARTITION_AWARE);
        if (which.isEmpty()) {
            // implicit: only framework->tasks (master.cpp:8948-8989)
            fw.tasks.values().stream()
                    .filter(t -> knownTask(fw, t.id()) == t)
                    .forEach(t -> send(fw, reconciliationOf(fw, t)));
            return;
        }
        for (Call.Reconcile.Task rt : which) {
            Task t = knownTask(fw, rt.getTaskId().getValue());
            if (t != null) {
                send(fw, reconciliationOf(fw, t)); // (1)
                continue;
            }
            Agent agent = rt.hasAgentId() ? agents.get(rt.getAgentId().getValue()) : null;
            if (agent != null ? agent.state == AgentState.RECOVERED : amnesia.anyRecovered()) {
                continue; // (2) master.cpp:9044-9058: no answer until the agent reregisters
            }
            TaskState state;
            String message;
            TaskStatus.Builder extra = TaskStatus.newBuilder();
            if (agent == null) {
                state = TaskState.TASK_UNKNOWN; // (6) master.cpp:9112-9130
                message = "Reconciliation: Task is unknown";
            } else {
                switch (agent.state) {
                    case ACTIVE -> { // (3) master.cpp:9059-9075
                        state = TaskState.TASK_GONE;
                        message = "Reconciliation: Task is unknown to the agent";
                    }
                    case UNREACHABLE -> { // (4) master.cpp:9076-9101
                        state = TaskState.TASK_UNREACHABLE;
                        message = "Reconciliation: Task is unreachable";
                        extra.setUnreachableTime(
                                TimeInfo.newBuilder()
                                        .setNanoseconds(agent.unreachableSinceMillis * 1_000_000));
                    }
                    default -> { // (5) master.cpp:9102-9111
                        state = TaskState.TASK_GONE_BY_OPERATOR;
                        message = "Reconciliation: Task is gone";
                    }
                }
            }
            TaskStatus.Builder s =
                    extra.setTaskId(rt.getTaskId())
                            .setState(pa ? state : TaskState.TASK_LOST)
                            .setSource(TaskStatus.Source.SOURCE_MASTER)
                            .setReason(TaskStatus.Reason.REASON_RECONCILIATION)
                            .setMessage(message)
                            .setTimestamp(now());
            if (rt.hasAgentId()) {
                s.setAgentId(rt.getAgentId());
            }
            send(fw, s.build());
        }
    }

    private TaskStatus reconciliationOf(Framework fw, Task t) {
        TaskStatus.Builder s =
                TaskStatus.newBuilder()
                        .setTaskId(t.info.getTaskId())
                        .setState(visibleState(fw, t.masterState))
                        .setSource(TaskStatus.Source.SOURCE_MASTER)
                        .setReason(TaskStatus.Reason.REASON_RECONCILIATION)
                        .setMessage("Reconciliation: Latest task state")
                        .setAgentId(AgentID.newBuilder().setValue(t.agent.id))
                        .setTimestamp(now());
        if (t.masterState == TaskState.TASK_UNREACHABLE) {
            s.setUnreachableTime(
                    TimeInfo.newBuilder()
                            .setNanoseconds(t.agent.unreachableSinceMillis * 1_000_000));
        }
        return s.build();
    }

    static TaskState visibleState(Framework fw, TaskState s) {
        boolean partitionState =
                s == TaskState.TASK_UNREACHABLE
                        || s == TaskState.TASK_GONE
                        || s == TaskState.TASK_GONE_BY_OPERATOR
                        || s == TaskState.TASK_DROPPED
                        || s == TaskState.TASK_UNKNOWN;
        return partitionState && !fw.has(Type.PARTITION_AWARE) ? TaskState.TASK_LOST : s;
    }

    // ---------------------------------------------------------------- status updates

    /** An update generated by the master itself: never carries a uuid, never retried. */
    void sendMasterUpdate(
            Framework fw,
            TaskID taskId,
            AgentID agentId,
            TaskState state,
            TaskStatus.Reason reason,
            String message) {
        TaskStatus.Builder s =
                TaskStatus.newBuilder()
                        .setTaskId(taskId)
                        .setState(state)
                        .setSource(TaskStatus.Source.SOURCE_MASTER)
                        .setReason(reason)
                        .setMessage(message)
                        .setTimestamp(now());
        if (agentId != null) {
            s.setAgentId(agentId);
        }
        send(fw, s.build());
    }

    /**
     * An update from the agent/executor: carries a uuid and is retried until acknowledged, one at a
     * time.
     */
    void agentUpdate(
            Task t,
            TaskState state,
            TaskStatus.Reason reason,
            String message,
            TaskStatus.Source source) {
        UUID uuid = UUID.randomUUID();
        ByteBuffer bytes =
                ByteBuffer.allocate(16)
                        .putLong(uuid.getMostSignificantBits())
                        .putLong(uuid.getLeastSignificantBits());
        TaskStatus.Builder s =
                TaskStatus.newBuilder()
                        .setTaskId(t.info.getTaskId())
                        .setState(state)
                        .setSource(source)
                        .setAgentId(AgentID.newBuilder().setValue(t.agent.id))
                        .setTimestamp(now())
                        .setUuid(ByteString.copyFrom(bytes.array()));
        if (t.info.hasCommand()) {
            s.setExecutorId(org.apache.mesos.v1.Protos.ExecutorID.newBuilder().setValue(t.id()));
        }
        if (reason != null) {
            s.setReason(reason);
        }
        if (message != null) {
            s.setMessage(message);
        }
        TaskStatus status = s.build();
        t.agentUpdates.add(status);
        t.agentState = state;
        t.pending.add(status);
        if (t.agent.state == AgentState.ACTIVE) {
            t.masterState = state;
            t.latest = status;
        }
        if (t.pending.size() == 1) {
            t.retryMillis = config.statusUpdateRetryInterval().toMillis();
            forwardHead(t);
        }
    }

    /**
     * The agent sends the head of the task's unacknowledged updates and resends it until
     * acknowledged, with the status update manager's bounded exponential backoff: first after
     * {@link MesosSimConfig#statusUpdateRetryInterval()} (STATUS_UPDATE_RETRY_INTERVAL_MIN, 10 s in
     * src/slave/constants.hpp:58), then doubling up to 60 times that (MAX, 10 min,
     * constants.hpp:59; task_status_update_manager.cpp:470-494). An agent without a master
     * (unreachable, or not yet reregistered after a failover) pauses
     * (task_status_update_manager.cpp:179-183, 472-474); its reregistration resends the head at
     * once with the minimum interval (186-200).
     */
    void forwardHead(Task t) {
        TaskStatus head = t.pending.peek();
        Framework fw = frameworks.get(t.frameworkId);
        if (head == null || fw == null || fw.tasks.get(t.id()) != t) {
            return;
        }
        if (t.retry != null) {
            t.retry.cancel(false);
            t.retry = null;
        }
        if (t.agent.state != AgentState.ACTIVE) {
            return;
        }
        if (fw.subscription != null) {
            send(fw, head);
        }
        long min = config.statusUpdateRetryInterval().toMillis();
        long delay = Math.max(min, t.retryMillis);
        t.retry =
                loop.schedule(
                        () -> {
                            t.retry = null;
                            t.retryMillis = Math.min(delay * 2, min * 60);
                            forwardHead(t);
                        },
                        delay,
                        TimeUnit.MILLISECONDS);
    }

    void send(Framework fw, TaskStatus status) {
        if (fw.subscription != null) {
            Event update =
                    Event.newBuilder()
                            .setType(Event.Type.UPDATE)
                            .setUpdate(Event.Update.newBuilder().setStatus(status))
                            .build();
            for (int i = updateFaults.copies(status); i > 0; i--) {
                fw.subscription.send(update);
            }
        }
    }

    static double now() {
        return System.currentTimeMillis() / 1000.0;
    }

    Agent agent(String idOrHostname) {
        for (Agent a : agents.values()) {
            if (a.id.equals(idOrHostname) || a.config.hostname().equals(idOrHostname)) {
                return a;
            }
        }
        throw new IllegalArgumentException(
                "no agent with id or hostname '"
                        + idOrHostname
                        + "'; known: "
                        + agents.values().stream().map(a -> a.config.hostname()).toList());
    }

    Path workDir() {
        return config.workDir();
    }

    void shutdown() {
        amnesia.shutdown();
        for (Framework fw : frameworks.values()) {
            if (fw.subscription != null) {
                fw.subscription.close();
            }
            for (Task t : fw.tasks.values()) {
                if (t.retry != null) {
                    t.retry.cancel(false);
                }
            }
        }
    }

    List<TaskProcess> processes() {
        return launcher.processes();
    }

    Optional<Task> launchedTask(String taskId) {
        return launcher.launched(taskId);
    }

    List<TaskView> taskViews() {
        return launcher.views();
    }
}
