package io.jenkins.plugins.mesosagents.soak;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;

import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.Response;

import okio.Buffer;

import org.apache.mesos.v1.scheduler.Protos.Call;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Sees every scheduler call the session sends (an OkHttp interceptor on the client it derives its
 * own from): counts them per type and keeps the KILL and RECONCILE calls with the task ids they
 * name, so a test can tell what the engine asked Mesos to do and when.
 */
final class CallRecorder implements Interceptor {
    /** One KILL or RECONCILE call as it left the client. */
    record Sent(Call.Type type, List<String> taskIds, long nanos) {}

    private final Map<Call.Type, Integer> counts = new TreeMap<>();
    private final List<Sent> sent = new CopyOnWriteArrayList<>();

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        if (request.body() != null && request.url().encodedPath().endsWith("/api/v1/scheduler")) {
            Call call = parse(request);
            if (call != null) {
                record(call);
            }
        }
        return chain.proceed(request);
    }

    private void record(Call call) {
        synchronized (counts) {
            counts.merge(call.getType(), 1, Integer::sum);
        }
        if (call.getType() == Call.Type.KILL) {
            sent.add(
                    new Sent(
                            Call.Type.KILL,
                            List.of(call.getKill().getTaskId().getValue()),
                            System.nanoTime()));
        } else if (call.getType() == Call.Type.RECONCILE) {
            sent.add(
                    new Sent(
                            Call.Type.RECONCILE,
                            call.getReconcile().getTasksList().stream()
                                    .map(t -> t.getTaskId().getValue())
                                    .toList(),
                            System.nanoTime()));
        }
    }

    private static Call parse(Request request) throws IOException {
        Buffer body = new Buffer();
        request.body().writeTo(body);
        byte[] bytes = body.readByteArray();
        MediaType type = request.body().contentType();
        try {
            if (type != null && type.subtype().contains("json")) {
                Call.Builder b = Call.newBuilder();
                JsonFormat.parser()
                        .ignoringUnknownFields()
                        .merge(new String(bytes, StandardCharsets.UTF_8), b);
                return b.build();
            }
            return Call.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            return null;
        }
    }

    Map<Call.Type, Integer> counts() {
        synchronized (counts) {
            return new TreeMap<>(counts);
        }
    }

    /** KILL and RECONCILE calls sent at or after {@code sinceNanos}. */
    List<Sent> since(long sinceNanos) {
        return sent.stream().filter(s -> s.nanos() - sinceNanos >= 0).toList();
    }
}
