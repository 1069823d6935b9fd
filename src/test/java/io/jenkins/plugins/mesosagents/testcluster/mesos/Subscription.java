package io.jenkins.plugins.mesosagents.testcluster.mesos;

import org.apache.mesos.v1.scheduler.Protos.Event;

import java.io.IOException;
import java.io.OutputStream;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One SUBSCRIBE connection: events are queued by the master's loop and written, RecordIO framed, by
 * the HTTP thread that owns the chunked response. A write failure is how the master notices that
 * the scheduler went away.
 */
final class Subscription {
    private static final byte[] END = new byte[0];

    final String streamId = UUID.randomUUID().toString();
    final boolean json;
    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private volatile boolean closed;
    private volatile long silentUntilNanos;
    ScheduledFuture<?> heartbeat;

    Subscription(boolean json) {
        this.json = json;
    }

    void send(Event event) {
        if (!closed && System.nanoTime() - silentUntilNanos >= 0) {
            queue.add(WireCodec.frame(WireCodec.encode(event, json)));
        }
    }

    /** Drops every event (heartbeats included) for a while, as a silent network partition would. */
    void silenceFor(long nanos) {
        silentUntilNanos = System.nanoTime() + nanos;
    }

    /** Writes bytes that are not valid RecordIO, to test a scheduler's decoder. */
    void sendRaw(byte[] bytes) {
        if (!closed) {
            queue.add(bytes.clone());
        }
    }

    /** Sends an ERROR event and closes, as the master does for failures found after the 200. */
    void fail(String message) {
        send(
                Event.newBuilder()
                        .setType(Event.Type.ERROR)
                        .setError(Event.Error.newBuilder().setMessage(message))
                        .build());
        close();
    }

    void close() {
        if (!closed) {
            closed = true;
            if (heartbeat != null) {
                heartbeat.cancel(false);
            }
            queue.add(END);
        }
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Writes queued records until closed; returns normally when closed by the master, throws when
     * the peer left.
     */
    void pump(OutputStream out) throws IOException, InterruptedException {
        while (true) {
            byte[] record = queue.poll(1, TimeUnit.SECONDS);
            if (record == END) {
                return;
            }
            if (record != null) {
                out.write(record);
                out.flush();
            }
        }
    }
}
