package io.jenkins.plugins.mesosagents.mesos;

import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.Filters;
import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Call;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * A framework's connection to the Mesos master over the v1 scheduler HTTP API. {@link #start}
 * returns at once; a background thread subscribes and keeps re-subscribing (same framework id,
 * exponential backoff) until {@link #close()} or a final {@link ConnectionState}. Events go to the
 * {@link SchedulerListener} on one thread, in order. Calls are asynchronous and go out in parallel,
 * each with the call timeout, except SUPPRESS and REVIVE, which reach the master one after the
 * other in the order they were made; each future completes when the master accepted the call (202,
 * or 200 for UPDATE_FRAMEWORK) and fails with a {@link MesosCallException} otherwise (status 0: no
 * answer, the call may or may not have taken effect). Calls need a subscription.
 */
public final class SchedulerConnection implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SchedulerConnection.class.getName());

    private final SchedulerConfig config;
    private final Transport transport;
    private final ExecutorService events;
    private final ScheduledExecutorService timer;
    private final SubscriptionLoop loop;
    private final Thread thread;
    private final Set<String> suppressedRoles;

    /**
     * The identity of the next SUBSCRIBE: the configured one until an UPDATE_FRAMEWORK succeeds.
     */
    private final AtomicReference<FrameworkIdentity> identity;

    /** PROTOBUF until a master answers 415 to it; then JSON for the rest of the connection. */
    private final AtomicReference<Encoding> encoding;

    /** The last SUPPRESS/REVIVE sent: the next one waits for it, so they cannot overtake. */
    private CompletableFuture<Void> offerFlowTail = CompletableFuture.completedFuture(null);

    private SchedulerConnection(SchedulerConfig config, SchedulerListener listener) {
        this.config = config;
        this.transport = new Transport(config);
        String name = config.framework.name();
        this.events = Executors.newSingleThreadExecutor(daemon("mesos-events-" + name));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("mesos-watchdog-" + name));
        this.suppressedRoles = new LinkedHashSet<>(config.initiallySuppressedRoles);
        this.identity = new AtomicReference<>(config.framework);
        this.encoding = new AtomicReference<>(config.encoding);
        this.loop =
                new SubscriptionLoop(
                        config,
                        transport,
                        events,
                        listener,
                        new Watchdog(timer),
                        suppressedRoles,
                        identity::get,
                        encoding);
        this.thread = daemon("mesos-subscription-" + name).newThread(loop);
    }

    /** The encoding calls use now (JSON after a master refused protobuf with 415). */
    public Encoding encoding() {
        return encoding.get();
    }

    /** Starts subscribing in the background. */
    public static SchedulerConnection start(SchedulerConfig config, SchedulerListener listener) {
        SchedulerConnection connection = new SchedulerConnection(config, listener);
        connection.thread.start();
        return connection;
    }

    public ConnectionState state() {
        return loop.state();
    }

    /**
     * The identity the framework has now: the configured one until an UPDATE_FRAMEWORK succeeded.
     */
    public FrameworkIdentity identity() {
        return identity.get();
    }

    /** The framework id of the current subscription, else the stored one. */
    public Optional<String> frameworkId() {
        return loop.session().map(Session::frameworkId).or(config.frameworkIdStore::load);
    }

    /** The master of the current subscription (after redirects). */
    public Optional<HttpUrl> master() {
        return loop.session().map(s -> s.endpoint().newBuilder().encodedPath("/").build());
    }

    /**
     * ACCEPT: run {@code operations} against the offers; unused resources are declined with {@code
     * filters}.
     */
    public CompletableFuture<Void> accept(
            List<OfferID> offerIds, List<Offer.Operation> operations, Filters filters) {
        Call.Accept.Builder accept =
                Call.Accept.newBuilder().addAllOfferIds(offerIds).addAllOperations(operations);
        if (filters != null) {
            accept.setFilters(filters);
        }
        return send(Call.newBuilder().setType(Call.Type.ACCEPT).setAccept(accept).build());
    }

    /** ACCEPT with one LAUNCH operation of {@code tasks}. */
    public CompletableFuture<Void> launch(
            List<OfferID> offerIds, List<TaskInfo> tasks, Filters filters) {
        Offer.Operation launch =
                Offer.Operation.newBuilder()
                        .setType(Offer.Operation.Type.LAUNCH)
                        .setLaunch(Offer.Operation.Launch.newBuilder().addAllTaskInfos(tasks))
                        .build();
        return accept(offerIds, List.of(launch), filters);
    }

    public CompletableFuture<Void> decline(List<OfferID> offerIds, Filters filters) {
        Call.Decline.Builder decline = Call.Decline.newBuilder().addAllOfferIds(offerIds);
        if (filters != null) {
            decline.setFilters(filters);
        }
        return send(Call.newBuilder().setType(Call.Type.DECLINE).setDecline(decline).build());
    }

    public CompletableFuture<Void> acceptInverseOffers(
            List<OfferID> inverseOfferIds, Filters filters) {
        Call.AcceptInverseOffers.Builder accept =
                Call.AcceptInverseOffers.newBuilder().addAllInverseOfferIds(inverseOfferIds);
        if (filters != null) {
            accept.setFilters(filters);
        }
        return send(
                Call.newBuilder()
                        .setType(Call.Type.ACCEPT_INVERSE_OFFERS)
                        .setAcceptInverseOffers(accept)
                        .build());
    }

    public CompletableFuture<Void> declineInverseOffers(
            List<OfferID> inverseOfferIds, Filters filters) {
        Call.DeclineInverseOffers.Builder decline =
                Call.DeclineInverseOffers.newBuilder().addAllInverseOfferIds(inverseOfferIds);
        if (filters != null) {
            decline.setFilters(filters);
        }
        return send(
                Call.newBuilder()
                        .setType(Call.Type.DECLINE_INVERSE_OFFERS)
                        .setDeclineInverseOffers(decline)
                        .build());
    }

    /**
     * SUPPRESS offers for {@code roles} (empty = all roles); remembered and re-sent on
     * re-subscription.
     */
    public CompletableFuture<Void> suppress(Collection<String> roles) {
        return send(Call.newBuilder()
                        .setType(Call.Type.SUPPRESS)
                        .setSuppress(Call.Suppress.newBuilder().addAllRoles(roles))
                        .build())
                .thenRun(() -> rememberSuppressed(roles, true));
    }

    /** REVIVE offers for {@code roles} (empty = all roles); also clears earlier DECLINE filters. */
    public CompletableFuture<Void> revive(Collection<String> roles) {
        return send(Call.newBuilder()
                        .setType(Call.Type.REVIVE)
                        .setRevive(Call.Revive.newBuilder().addAllRoles(roles))
                        .build())
                .thenRun(() -> rememberSuppressed(roles, false));
    }

    /**
     * KILL a task; {@code agentId} may be null when unknown. For a task it does not know the master
     * only runs an explicit reconciliation (Mesos 1.11.0 master.cpp:5700-5717): this
     * PARTITION_AWARE framework gets TASK_UNKNOWN (or TASK_UNREACHABLE / TASK_GONE from its agent's
     * state), and no answer at all while that agent may still re-register after a master failover.
     */
    public CompletableFuture<Void> kill(TaskID taskId, AgentID agentId) {
        Call.Kill.Builder kill = Call.Kill.newBuilder().setTaskId(taskId);
        if (agentId != null) {
            kill.setAgentId(agentId);
        }
        return send(Call.newBuilder().setType(Call.Type.KILL).setKill(kill).build());
    }

    /**
     * ACKNOWLEDGE a status update. Only updates carrying a {@code uuid} may (and must) be
     * acknowledged; updates without one (reconciliation answers, master-generated LOST) are refused
     * here rather than by the master.
     */
    public CompletableFuture<Void> acknowledge(TaskStatus status) {
        if (!status.hasUuid() || status.getUuid().isEmpty()) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException(
                            "Status update "
                                    + status.getState()
                                    + " of task "
                                    + status.getTaskId().getValue()
                                    + " has no uuid and must not be acknowledged"
                                    + " (it was generated by the master and is not retried)"));
        }
        if (!status.hasAgentId()) {
            return CompletableFuture.failedFuture(
                    new IllegalArgumentException(
                            "Status update "
                                    + status.getState()
                                    + " of task "
                                    + status.getTaskId().getValue()
                                    + " has a uuid but no agent_id; cannot acknowledge"));
        }
        return send(
                Call.newBuilder()
                        .setType(Call.Type.ACKNOWLEDGE)
                        .setAcknowledge(
                                Call.Acknowledge.newBuilder()
                                        .setAgentId(status.getAgentId())
                                        .setTaskId(status.getTaskId())
                                        .setUuid(status.getUuid()))
                        .build());
    }

    /**
     * Explicit RECONCILE of these tasks (agent ids recommended); answers arrive as UPDATEs without
     * uuid.
     */
    public CompletableFuture<Void> reconcile(List<Call.Reconcile.Task> tasks) {
        return send(
                Call.newBuilder()
                        .setType(Call.Type.RECONCILE)
                        .setReconcile(Call.Reconcile.newBuilder().addAllTasks(tasks))
                        .build());
    }

    /**
     * Implicit RECONCILE: the master answers with the latest state of every task it knows for this
     * framework.
     */
    public CompletableFuture<Void> reconcileAll() {
        return reconcile(List.of());
    }

    /**
     * UPDATE_FRAMEWORK to a new identity (name, roles, capabilities …; not user, principal or
     * checkpoint) and set of suppressed roles. Once the master accepted it, later re-subscriptions
     * use them too.
     */
    public CompletableFuture<Void> updateFramework(
            FrameworkIdentity identity, Collection<String> suppressed) {
        Optional<String> id = frameworkId();
        if (id.isEmpty()) {
            return CompletableFuture.failedFuture(
                    new IllegalStateException(
                            "UPDATE_FRAMEWORK needs a framework id:" + " not subscribed yet"));
        }
        return send(Call.newBuilder()
                        .setType(Call.Type.UPDATE_FRAMEWORK)
                        .setUpdateFramework(
                                Call.UpdateFramework.newBuilder()
                                        .setFrameworkInfo(identity.toFrameworkInfo(id))
                                        .addAllSuppressedRoles(suppressed))
                        .build())
                .thenRun(
                        () -> {
                            synchronized (suppressedRoles) {
                                this.identity.set(identity);
                                suppressedRoles.clear();
                                suppressedRoles.addAll(suppressed);
                            }
                        });
    }

    /**
     * UPDATE_FRAMEWORK to a new identity, offers held back where they are now: the master sets the
     * suppressed roles to exactly the call's list and revives the others
     * (allocator/mesos/hierarchical.cpp 1.11.0 L959-965), so the list carries every role suppressed
     * now that the new identity keeps, and all of the new roles when every current role is
     * suppressed (a framework without demand wants no offers for a role it just gained).
     */
    public CompletableFuture<Void> updateFramework(FrameworkIdentity identity) {
        List<String> suppressed = new ArrayList<>();
        synchronized (suppressedRoles) {
            List<String> current = this.identity.get().roles();
            boolean all = !current.isEmpty() && suppressedRoles.containsAll(current);
            for (String role : identity.roles()) {
                if (all || suppressedRoles.contains(role)) {
                    suppressed.add(role);
                }
            }
        }
        return updateFramework(identity, suppressed);
    }

    /**
     * TEARDOWN: the master kills every task of this framework and removes it. The connection then
     * closes.
     */
    public CompletableFuture<Void> teardown() {
        // the master closes the stream when it removes the framework, maybe before the 202
        // arrives: that end is expected, not a reason to warn and re-subscribe
        loop.expectStreamEnd(true);
        return send(Call.newBuilder().setType(Call.Type.TEARDOWN).build())
                .whenComplete(
                        (ok, failure) -> {
                            if (failure != null) {
                                loop.expectStreamEnd(false);
                            }
                        })
                .thenRun(this::close);
    }

    /**
     * Sends any call; {@code framework_id} is filled in when absent. SUPPRESS and REVIVE wait for
     * the previous SUPPRESS or REVIVE to be answered, so the master sees them in order.
     */
    public CompletableFuture<Void> send(Call call) {
        if (call.getType() != Call.Type.SUPPRESS && call.getType() != Call.Type.REVIVE) {
            return sendNow(call);
        }
        synchronized (this) {
            CompletableFuture<Void> next =
                    offerFlowTail.handle((ok, e) -> null).thenCompose(x -> sendNow(call));
            offerFlowTail = next;
            return next;
        }
    }

    private CompletableFuture<Void> sendNow(Call call) {
        Optional<Session> current = loop.session();
        if (current.isEmpty()) {
            return CompletableFuture.failedFuture(
                    new IllegalStateException(
                            "Cannot send "
                                    + call.getType()
                                    + ": framework "
                                    + config.framework.name()
                                    + " is not subscribed (state "
                                    + state()
                                    + ")"));
        }
        Session session = current.get();
        Call complete =
                call.hasFrameworkId()
                        ? call
                        : call.toBuilder()
                                .setFrameworkId(
                                        FrameworkID.newBuilder().setValue(session.frameworkId()))
                                .build();
        Encoding wire = encoding.get();
        Request request =
                new Request.Builder()
                        .url(session.endpoint())
                        .header("Mesos-Stream-Id", session.streamId())
                        .header("Accept", wire.mediaType())
                        .post(
                                RequestBody.create(
                                        wire.encode(complete), MediaType.get(wire.mediaType())))
                        .build();
        CompletableFuture<Void> result = new CompletableFuture<>();
        transport
                .calls
                .newCall(request)
                .enqueue(
                        new Callback() {
                            @Override
                            public void onResponse(okhttp3.Call httpCall, Response response) {
                                try (response) {
                                    if (response.isSuccessful()) {
                                        result.complete(null);
                                    } else {
                                        String body =
                                                response.body() == null
                                                        ? ""
                                                        : response.body().string();
                                        result.completeExceptionally(
                                                new MesosCallException(
                                                        call.getType(),
                                                        session.endpoint().toString(),
                                                        response.code(),
                                                        body,
                                                        null));
                                    }
                                } catch (IOException e) {
                                    onFailure(httpCall, e);
                                }
                            }

                            @Override
                            public void onFailure(okhttp3.Call httpCall, IOException e) {
                                result.completeExceptionally(
                                        new MesosCallException(
                                                call.getType(),
                                                session.endpoint().toString(),
                                                0,
                                                null,
                                                e));
                            }
                        });
        return result;
    }

    /**
     * {@code Filters{refuse_seconds}}: how long the master should not re-offer declined resources.
     */
    public static Filters refuseFor(Duration duration) {
        return Filters.newBuilder().setRefuseSeconds(duration.toMillis() / 1000.0).build();
    }

    /**
     * Stops the stream without tearing the framework down: its tasks keep running for
     * failover_timeout.
     */
    @Override
    public void close() {
        loop.stop(ConnectionState.CLOSED);
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer.shutdownNow();
        events.shutdown();
        transport.close();
        config.masters.close();
        LOG.fine(() -> "Closed the Mesos connection of framework " + config.framework.name());
    }

    private void rememberSuppressed(Collection<String> roles, boolean suppressed) {
        synchronized (suppressedRoles) {
            Collection<String> affected = roles.isEmpty() ? identity.get().roles() : roles;
            if (suppressed) {
                suppressedRoles.addAll(affected);
            } else {
                suppressedRoles.removeAll(affected);
            }
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread t = new Thread(runnable, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public String toString() {
        return "SchedulerConnection[" + config.framework.name() + ", " + state() + "]";
    }
}
