package io.jenkins.plugins.mesosagents.mesos;

import com.google.protobuf.InvalidProtocolBufferException;

import io.jenkins.plugins.mesosagents.dcos.AdminRouter;
import io.jenkins.plugins.mesosagents.dcos.TlsFailures;

import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.scheduler.Protos.Event;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The subscription thread: finds a master, SUBSCRIBEs (following 307s), reads the RecordIO event
 * stream, and on any loss waits out a backoff and re-subscribes with the stored framework id.
 * Internal state changes happen here; the listener is called through the single event thread, in
 * stream order.
 */
final class SubscriptionLoop implements Runnable {
    private static final Logger LOG = Logger.getLogger(SubscriptionLoop.class.getName());
    private static final int MAX_REDIRECTS = 5;
    static final String FRAMEWORK_REMOVED = "Framework has been removed";
    static final String FAILED_OVER = "Framework failed over";

    private final SchedulerConfig config;
    private final Transport transport;
    private final ExecutorService events;
    private final SchedulerListener listener;
    private final Watchdog watchdog;
    private final Set<String> suppressedRoles;
    private final Supplier<FrameworkIdentity> identity;
    private final java.util.concurrent.atomic.AtomicReference<Encoding> encoding;
    private final Object wakeup = new Object();
    private final Object stateLock = new Object();

    private volatile boolean running = true;
    private volatile ConnectionState state = ConnectionState.CONNECTING;
    private volatile Session session;
    private volatile Call activeCall;
    private volatile String cancelReason;
    private volatile boolean stopStream;

    /**
     * The ERROR event that answered this stream's SUBSCRIBE before any SUBSCRIBED (a refusal, e.g.
     * "Not authorized to register framework ...", master.cpp:2743-2755); null when none.
     */
    private String refusal;
    private volatile boolean leaderChanged;
    private volatile boolean streamEndExpected;
    private int attempt;
    private String knownFrameworkId;

    SubscriptionLoop(
            SchedulerConfig config,
            Transport transport,
            ExecutorService events,
            SchedulerListener listener,
            Watchdog watchdog,
            Set<String> suppressedRoles,
            Supplier<FrameworkIdentity> identity,
            java.util.concurrent.atomic.AtomicReference<Encoding> encoding) {
        this.config = config;
        this.transport = transport;
        this.events = events;
        this.listener = listener;
        this.watchdog = watchdog;
        this.suppressedRoles = suppressedRoles;
        this.identity = identity;
        this.encoding = encoding;
        config.masters.onChange(this::leaderChanged);
    }

    ConnectionState state() {
        return state;
    }

    Optional<Session> session() {
        return Optional.ofNullable(session);
    }

    @Override
    public void run() {
        while (running) {
            leaderChanged = false;
            String failure = subscribeSurvivingLibraryErrors();
            if (!running) {
                break;
            }
            session = null;
            moveTo(ConnectionState.DISCONNECTED);
            Duration delay = config.backoff.delay(attempt++, config.random);
            if (streamEndExpected) {
                // TEARDOWN removed the framework; the connection closes once its 202 arrives
                LOG.fine(() -> "Mesos framework " + config.framework.name() + ": " + failure);
                sleep(delay);
                continue;
            }
            LOG.log(
                    Level.WARNING,
                    "Mesos framework {0}: {1}; re-subscribing in {2} ms",
                    new Object[] {config.framework.name(), failure, delay.toMillis()});
            deliver(() -> listener.disconnected(failure));
            sleep(delay);
            moveTo(ConnectionState.CONNECTING);
        }
    }

    /** Stops the loop for good with a final state; cancels the stream. */
    void stop(ConnectionState finalState) {
        synchronized (stateLock) {
            running = false;
            if (!state.isTerminal()) {
                state = finalState;
            }
        }
        session = null;
        cancel("connection closed");
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
    }

    /** A TEARDOWN is on its way: the stream's end is expected and not reported. */
    void expectStreamEnd(boolean expected) {
        streamEndExpected = expected;
    }

    /** Called by the watchdog: the stream is dead, drop it so the loop re-subscribes. */
    void cancel(String reason) {
        Call call = activeCall;
        if (call != null) {
            cancelReason = reason;
            call.cancel();
        }
    }

    private void leaderChanged() {
        leaderChanged = true;
        Session current = session;
        List<HttpUrl> now = config.masters.candidates();
        if (current != null && !now.isEmpty() && !sameHost(now.get(0), current.endpoint())) {
            cancel("leading master changed to " + now.get(0));
        }
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
    }

    /**
     * A live state change of the loop; never overrides a final state set by {@link #stop} or {@link
     * #finish}.
     */
    private void moveTo(ConnectionState next) {
        synchronized (stateLock) {
            if (running && !state.isTerminal()) {
                state = next;
            }
        }
    }

    /**
     * {@link #subscribeToCandidates}, except that a library that does not link (a class missing
     * from the .hpi, an incompatible API plugin) is reported as the failure instead of ending the
     * thread: the loop backs off and retries like after any other failure.
     */
    private String subscribeSurvivingLibraryErrors() {
        try {
            return subscribeToCandidates();
        } catch (LinkageError | ServiceConfigurationError e) {
            String failure = LibraryErrors.describe(e);
            LOG.log(Level.SEVERE, "Mesos framework " + config.framework.name() + ": " + failure, e);
            return failure;
        }
    }

    private String subscribeToCandidates() {
        List<HttpUrl> masters = config.masters.candidates();
        if (masters.isEmpty()) {
            return "no leading Mesos master known (" + config.masters + ")";
        }
        String failure = null;
        for (HttpUrl master : masters) {
            failure = subscribeOnce(HttpUrls.schedulerEndpoint(master));
            if (!running) {
                return failure;
            }
        }
        return failure;
    }

    /** One SUBSCRIBE, following redirects, and the stream until it ends; returns why it ended. */
    private String subscribeOnce(HttpUrl url) {
        for (int redirects = 0; running; redirects++) {
            cancelReason = null;
            stopStream = false;
            Request request = subscribeRequest(url);
            Call call = transport.stream.newCall(request);
            activeCall = call;
            if (!running) { // stop() ran between the loop check and the line above: it cannot have
                // cancelled this
                call.cancel();
            }
            watchdog.arm(config.requestTimeout, this);
            try (Response response = call.execute()) {
                if (response.code() == 307 && isGateway(url)) {
                    return "SUBSCRIBE to "
                            + url
                            + " answered 307 to '"
                            + response.header("Location")
                            + "'; this URL has a path prefix, so it is a gateway (e.g. DC/OS Admin"
                            + " Router) whose leader was not ready: retrying the gateway, never"
                            + " the master behind it";
                }
                if (response.code() == 307 && redirects < MAX_REDIRECTS) {
                    HttpUrl next = redirectTarget(url, response.header("Location"));
                    if (next == null) {
                        return "SUBSCRIBE to "
                                + url
                                + " answered 307 with an unusable Location '"
                                + response.header("Location")
                                + "'";
                    }
                    LOG.info("Mesos master " + url + " redirects to the leader " + next);
                    url = next;
                    continue;
                }
                if (response.code() == 415 && encoding.get() == Encoding.PROTOBUF) {
                    // a master (or proxy) that takes only JSON: speak JSON from now on
                    encoding.set(Encoding.JSON);
                    LOG.warning(
                            "Mesos master "
                                    + url
                                    + " refused protobuf (HTTP 415 "
                                    + bodyOf(response)
                                    + "); framework "
                                    + config.framework.name()
                                    + " uses JSON from now on");
                    redirects--; // not a redirect: the same master again, at once
                    continue;
                }
                if (response.code() != 200) {
                    String body = bodyOf(response);
                    MesosCallException e =
                            new MesosCallException(
                                    org.apache.mesos.v1.scheduler.Protos.Call.Type.SUBSCRIBE,
                                    url.toString(),
                                    response.code(),
                                    body,
                                    null);
                    if (isPermanent(response.code())) {
                        String refusal =
                                (isAdminRouterRefusal(response.code(), url, body)
                                                ? "SUBSCRIBE to "
                                                        + url
                                                        + " failed: "
                                                        + AdminRouter.missingMesosPermission(
                                                                serviceAccountUid())
                                                : e.getMessage() + adminRouterHint(response.code()))
                                        + "; the master refuses this framework's SUBSCRIBE, so"
                                        + " retrying cannot help until the setting or the master"
                                        + " changes";
                        deliver(() -> listener.error(refusal));
                        return refusal;
                    }
                    return e.getMessage();
                }
                return readStream(url, response);
            } catch (IOException e) {
                String why =
                        cancelReason != null
                                ? cancelReason
                                : e.getClass().getSimpleName() + ": " + e.getMessage();
                return (session != null
                                ? "event stream from " + url + " lost: "
                                : "SUBSCRIBE to " + url + " failed: ")
                        + why
                        + TlsFailures.hint(e, "the master", TlsFailures.MASTER_CA_SETTING);
            } catch (RuntimeException e) {
                // e.g. a FrameworkIdStore that cannot write: the thread must survive it and try
                // again
                LOG.log(
                        Level.SEVERE,
                        "Unexpected failure on the Mesos subscription of "
                                + config.framework.name(),
                        e);
                return "unexpected "
                        + e.getClass().getSimpleName()
                        + " while handling the stream from "
                        + url
                        + ": "
                        + e.getMessage();
            } finally {
                watchdog.disarm();
                activeCall = null;
                session = null;
            }
        }
        return "connection closed";
    }

    private String readStream(HttpUrl url, Response response) throws IOException {
        String streamId = response.header("Mesos-Stream-Id");
        if (streamId == null || streamId.isEmpty()) {
            return "SUBSCRIBE to "
                    + url
                    + " answered 200 without a Mesos-Stream-Id header; is this a Mesos master?";
        }
        String contentType = response.header("Content-Type", "");
        Encoding wire = encoding.get();
        if (!contentType.startsWith(wire.mediaType())) {
            return "SUBSCRIBE to "
                    + url
                    + " answered with Content-Type '"
                    + contentType
                    + "' instead of "
                    + wire.mediaType();
        }
        refusal = null;
        RecordIoDecoder decoder = new RecordIoDecoder(config.maxRecordBytes);
        List<byte[]> records = new ArrayList<>();
        byte[] buffer = new byte[64 * 1024];
        ResponseBody body = response.body();
        try (InputStream in = body.byteStream()) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                decoder.feed(buffer, 0, n, records::add);
                for (byte[] record : records) {
                    handle(url, streamId, record);
                    if (stopStream) {
                        return "stream stopped";
                    }
                }
                records.clear();
            }
        } catch (RecordIoException | InvalidProtocolBufferException e) {
            return "event stream from " + url + " is corrupt (" + e.getMessage() + ")";
        }
        if (refusal != null) {
            return refusal;
        }
        return "the master closed the event stream"
                + (cancelReason != null ? " (" + cancelReason + ")" : "");
    }

    private void handle(HttpUrl url, String streamId, byte[] record)
            throws InvalidProtocolBufferException {
        Event event = encoding.get().decodeEvent(record);
        watchdog.touch();
        EventLog.log(event);
        switch (event.getType()) {
            case SUBSCRIBED -> {
                Event.Subscribed subscribed = event.getSubscribed();
                String id = subscribed.getFrameworkId().getValue();
                persist(id);
                session = new Session(url, streamId, id);
                moveTo(ConnectionState.SUBSCRIBED);
                attempt = 0;
                double interval =
                        subscribed.hasHeartbeatIntervalSeconds()
                                ? subscribed.getHeartbeatIntervalSeconds()
                                : 0;
                if (interval > 0) {
                    watchdog.arm(
                            Duration.ofNanos((long) (interval * 1e9 * config.missedHeartbeats)),
                            this);
                }
                HttpUrl master = url.newBuilder().encodedPath("/").build();
                deliver(() -> listener.subscribed(id, subscribed, master));
            }
            case ERROR -> {
                String message = event.getError().getMessage();
                if (message.contains(FRAMEWORK_REMOVED)) {
                    finish(ConnectionState.FRAMEWORK_REMOVED);
                    deliver(() -> listener.frameworkRemoved(message));
                } else if (message.contains(FAILED_OVER)) {
                    finish(ConnectionState.FAILED_OVER);
                    deliver(() -> listener.failedOver(message));
                } else if (session == null) {
                    // a refused SUBSCRIBE (master.cpp:2690-2703, 2743-2755: ERROR, then the master
                    // closes the stream): its words, not "stream closed", are why we are not
                    // subscribed while retrying with backoff (an ACL or the principal may change)
                    refusal =
                            "the master at "
                                    + url
                                    + " refused SUBSCRIBE: "
                                    + message
                                    + " (check the framework's principal, roles and the master's"
                                    + " ACLs; retrying with backoff)";
                    String shown = refusal;
                    deliver(() -> listener.error(shown));
                } else {
                    deliver(() -> listener.error(message));
                }
            }
            default -> {
                if (!running) {
                    stopStream = true; // closed while this event was in flight
                } else if (session == null) {
                    LOG.warning(
                            () ->
                                    "Ignoring "
                                            + event.getType()
                                            + " event received before SUBSCRIBED");
                } else {
                    deliver(() -> listener.event(event));
                }
            }
        }
    }

    // A store failure must neither drop the stream nor lose the id: the next SUBSCRIBE would create
    // a new framework
    // and orphan this one's tasks. Keep it in memory, tell the listener, try to store it again on
    // the next SUBSCRIBED.
    private void persist(String id) {
        knownFrameworkId = id;
        try {
            config.frameworkIdStore.store(id);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Could not persist Mesos framework id " + id, e);
            deliver(
                    () ->
                            listener.error(
                                    "Could not persist framework id "
                                            + id
                                            + " ("
                                            + e
                                            + "); it is kept in memory, but a restart now would"
                                            + " register a new framework"));
        }
    }

    private void finish(ConnectionState finalState) {
        synchronized (stateLock) {
            if (!state.isTerminal()) {
                state = finalState;
            }
            running = false;
        }
        stopStream = true;
        session = null;
        LOG.severe(() -> "Mesos framework " + config.framework.name() + " stopped: " + finalState);
    }

    private Request subscribeRequest(HttpUrl url) {
        Optional<String> id =
                knownFrameworkId != null
                        ? Optional.of(knownFrameworkId)
                        : config.frameworkIdStore.load();
        var subscribe =
                org.apache.mesos.v1.scheduler.Protos.Call.Subscribe.newBuilder()
                        .setFrameworkInfo(identity.get().toFrameworkInfo(id));
        synchronized (suppressedRoles) {
            subscribe.addAllSuppressedRoles(suppressedRoles);
        }
        var call =
                org.apache.mesos.v1.scheduler.Protos.Call.newBuilder()
                        .setType(org.apache.mesos.v1.scheduler.Protos.Call.Type.SUBSCRIBE)
                        .setSubscribe(subscribe);
        id.ifPresent(value -> call.setFrameworkId(FrameworkID.newBuilder().setValue(value)));
        Encoding wire = encoding.get();
        MediaType mediaType = MediaType.get(wire.mediaType());
        return new Request.Builder()
                .url(url)
                .header("Accept", wire.mediaType())
                // OkHttp would add "; charset=utf-8" to a String body; a byte[] body keeps the type
                // exact
                .post(RequestBody.create(wire.encode(call.build()), mediaType))
                .build();
    }

    /**
     * A 403 from Admin Router (through a gateway URL, or its "Access Denied" page) rather than from
     * a master: the account lacks the permission to reach Mesos through it.
     */
    private static boolean isAdminRouterRefusal(int status, HttpUrl url, String body) {
        return status == 403 && (isGateway(url) || AdminRouter.isAccessDeniedPage(body));
    }

    private String serviceAccountUid() {
        return config.credentials.orElse(null)
                        instanceof MesosCredentials.DcosServiceAccount account
                ? account.uid()
                : null;
    }

    /**
     * DC/OS Admin Router answers 403 with a bare page when the service account lacks the
     * permission to reach Mesos through it; say which one (DC/OS IAM permission reference).
     */
    private String adminRouterHint(int status) {
        if (status == 403
                && config.credentials.orElse(null)
                        instanceof MesosCredentials.DcosServiceAccount account) {
            return "; if this goes through DC/OS Admin Router, its service account '"
                    + account.uid()
                    + "' needs the permission dcos:adminrouter:ops:mesos (full)";
        }
        return "";
    }

    /**
     * A scheduler URL under a path prefix ({@code https://dcos/mesos/api/v1/scheduler}) goes
     * through a proxy: a master's 307 names its own {@code //host:5050}, which would bypass the
     * proxy's routing, TLS and authorization.
     */
    static boolean isGateway(HttpUrl schedulerUrl) {
        return !schedulerUrl.encodedPath().equals("/api/v1/scheduler");
    }

    static HttpUrl redirectTarget(HttpUrl from, String location) {
        if (location == null || location.isBlank()) {
            return null;
        }
        String value = location.strip();
        if (!value.startsWith("/") && !value.contains("://")) {
            value = "//" + value; // DOC BUG variant without the leading "//"
        }
        HttpUrl target = from.resolve(value);
        if (target == null) {
            return null;
        }
        return target.encodedPath().equals("/") ? HttpUrls.schedulerEndpoint(target) : target;
    }

    /**
     * A refusal that retrying the same SUBSCRIBE cannot fix: any 4xx except timeouts and rate
     * limits. 5xx (503: no leader, still recovering), connection failures and timeouts are
     * transient.
     */
    static boolean isPermanent(int status) {
        return status >= 400 && status < 500 && status != 408 && status != 429;
    }

    private static boolean sameHost(HttpUrl a, HttpUrl b) {
        return a.host().equals(b.host()) && a.port() == b.port();
    }

    private static String bodyOf(Response response) {
        try {
            ResponseBody body = response.body();
            return body == null ? "" : body.string();
        } catch (IOException e) {
            return "(body unreadable: " + e.getMessage() + ")";
        }
    }

    private void deliver(Runnable callback) {
        try {
            events.execute(
                    () -> {
                        try {
                            callback.run();
                        } catch (RuntimeException e) {
                            LOG.log(
                                    Level.WARNING,
                                    "Mesos scheduler listener threw; continuing with the next"
                                            + " event",
                                    e);
                        }
                    });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.fine("Event dropped: connection closed");
        }
    }

    private void sleep(Duration delay) {
        long deadline = System.nanoTime() + delay.toNanos();
        synchronized (wakeup) {
            while (running && !leaderChanged) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    wakeup.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                    return;
                }
            }
        }
    }
}
