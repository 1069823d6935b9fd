package io.jenkins.plugins.mesosagents.testcluster.mesos;

import com.google.protobuf.util.JsonFormat;

import okhttp3.Call;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Event;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A deliberately small scheduler used only to drive the simulator in tests: plain OkHttp, protobuf
 * or JSON, its own RecordIO reader. It does not share code with the project's Mesos client.
 */
final class SimClient implements AutoCloseable {
    static final OkHttpClient HTTP =
            new OkHttpClient.Builder()
                    .readTimeout(Duration.ZERO)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
    static final OkHttpClient NO_REDIRECTS = HTTP.newBuilder().followRedirects(false).build();

    /** A finished non-streaming HTTP exchange. */
    record Reply(int code, String body, Headers headers) {}

    URI master;
    final boolean json;
    final String authorization;
    String streamId;
    String frameworkId;
    Response response;
    private Call call;
    final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    final List<Event> seen = new CopyOnWriteArrayList<>();
    volatile boolean ended;
    volatile Exception readError;

    private SimClient(URI master, boolean json, String authorization) {
        this.master = master;
        this.json = json;
        this.authorization = authorization;
    }

    static SimClient subscribe(URI master, FrameworkInfo info, boolean json) throws IOException {
        return subscribe(master, info, json, null);
    }

    static SimClient subscribe(URI master, FrameworkInfo info, boolean json, String authorization)
            throws IOException {
        SimClient c = new SimClient(master, json, authorization);
        org.apache.mesos.v1.scheduler.Protos.Call.Builder sub =
                org.apache.mesos.v1.scheduler.Protos.Call.newBuilder()
                        .setType(org.apache.mesos.v1.scheduler.Protos.Call.Type.SUBSCRIBE)
                        .setSubscribe(
                                org.apache.mesos.v1.scheduler.Protos.Call.Subscribe.newBuilder()
                                        .setFrameworkInfo(info));
        if (info.hasId()) {
            sub.setFrameworkId(info.getId());
        }
        Request.Builder rb =
                new Request.Builder()
                        .url(master.resolve("/api/v1/scheduler").toString())
                        .post(RequestBody.create(c.bytes(sub.build()), null))
                        .header("Content-Type", json ? WireCodec.JSON : WireCodec.PROTOBUF)
                        .header("Accept", json ? WireCodec.JSON : WireCodec.PROTOBUF);
        if (authorization != null) {
            rb.header("Authorization", authorization);
        }
        c.call = HTTP.newCall(rb.build());
        c.response = c.call.execute();
        if (c.response.code() != 200) {
            String body = c.response.body().string();
            c.response.close();
            throw new IOException("SUBSCRIBE answered " + c.response.code() + ": " + body);
        }
        c.streamId = c.response.header("Mesos-Stream-Id");
        Thread reader = new Thread(c::read, "sim-client-reader");
        reader.setDaemon(true);
        reader.start();
        return c;
    }

    private void read() {
        try (InputStream in = response.body().byteStream()) {
            while (true) {
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                int b;
                while ((b = in.read()) != '\n') {
                    if (b < 0) {
                        return;
                    }
                    line.write(b);
                }
                int size = Integer.parseInt(line.toString(StandardCharsets.US_ASCII));
                byte[] record = in.readNBytes(size);
                if (record.length < size) {
                    return;
                }
                Event e;
                if (json) {
                    Event.Builder eb = Event.newBuilder();
                    JsonFormat.parser()
                            .ignoringUnknownFields()
                            .merge(new String(record, StandardCharsets.UTF_8), eb);
                    e = eb.build();
                } else {
                    e = Event.parseFrom(record);
                }
                if (e.getType() == Event.Type.SUBSCRIBED) {
                    frameworkId = e.getSubscribed().getFrameworkId().getValue();
                }
                seen.add(e);
                events.add(e);
            }
        } catch (IOException | RuntimeException e) {
            readError = e;
        } finally {
            ended = true;
        }
    }

    /** Next event matching, skipping others; fails after the timeout. */
    Event await(Predicate<Event> p, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Event e = events.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError(
                        "no matching event within "
                                + timeout
                                + "; seen: "
                                + seen.stream().map(x -> x.getType().name()).toList()
                                + (ended ? " (stream ended)" : ""));
            }
            if (p.test(e)) {
                return e;
            }
        }
    }

    Event await(Event.Type type, Duration timeout) throws InterruptedException {
        return await(e -> e.getType() == type, timeout);
    }

    /** Next UPDATE for this task in this state. */
    TaskStatus awaitUpdate(
            String taskId, org.apache.mesos.v1.Protos.TaskState state, Duration timeout)
            throws InterruptedException {
        return await(
                        e ->
                                e.getType() == Event.Type.UPDATE
                                        && e.getUpdate()
                                                .getStatus()
                                                .getTaskId()
                                                .getValue()
                                                .equals(taskId)
                                        && e.getUpdate().getStatus().getState() == state,
                        timeout)
                .getUpdate()
                .getStatus();
    }

    /**
     * The reconciliation answer for a task: an update without uuid (a resent, uuid-carrying update
     * may come first).
     */
    TaskStatus awaitReconciliation(
            String taskId, org.apache.mesos.v1.Protos.TaskState state, Duration timeout)
            throws InterruptedException {
        return await(
                        e ->
                                e.getType() == Event.Type.UPDATE
                                        && e.getUpdate()
                                                .getStatus()
                                                .getTaskId()
                                                .getValue()
                                                .equals(taskId)
                                        && e.getUpdate().getStatus().getState() == state
                                        && !e.getUpdate().getStatus().hasUuid(),
                        timeout)
                .getUpdate()
                .getStatus();
    }

    Reply post(org.apache.mesos.v1.scheduler.Protos.Call c) throws IOException {
        Request.Builder rb =
                new Request.Builder()
                        .url(master.resolve("/api/v1/scheduler").toString())
                        .post(RequestBody.create(bytes(c), null))
                        .header("Content-Type", json ? WireCodec.JSON : WireCodec.PROTOBUF);
        if (streamId != null) {
            rb.header("Mesos-Stream-Id", streamId);
        }
        if (authorization != null) {
            rb.header("Authorization", authorization);
        }
        try (Response r = HTTP.newCall(rb.build()).execute()) {
            return new Reply(r.code(), r.body().string(), r.headers());
        }
    }

    byte[] bytes(org.apache.mesos.v1.scheduler.Protos.Call c) {
        if (json) {
            try {
                return JsonFormat.printer()
                        .preservingProtoFieldNames()
                        .print(c)
                        .getBytes(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return c.toByteArray();
    }

    /** Posts and requires 202. */
    void send(org.apache.mesos.v1.scheduler.Protos.Call c) throws IOException {
        Reply r = post(c);
        if (r.code() != 202) {
            throw new AssertionError(c.getType() + " answered " + r.code() + ": " + r.body());
        }
    }

    @Override
    public void close() {
        if (call != null) {
            call.cancel();
        }
        if (response != null) {
            response.close();
        }
    }
}
