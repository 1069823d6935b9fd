package io.jenkins.plugins.mesosagents.mesos;

import okhttp3.HttpUrl;

import org.apache.mesos.v1.scheduler.Protos.Event;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Records listener callbacks as "kind: detail" lines and the thread they ran on. */
final class RecordingListener implements SchedulerListener {
    final BlockingQueue<String> log = new LinkedBlockingQueue<>();
    final List<Event> events = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();

    @Override
    public void subscribed(String frameworkId, Event.Subscribed subscribed, HttpUrl master) {
        record("subscribed: " + frameworkId + " at " + master);
    }

    @Override
    public void event(Event event) {
        events.add(event);
        if (event.getType() != Event.Type.HEARTBEAT) {
            record("event: " + event.getType());
        } else {
            threads.add(Thread.currentThread().getName());
        }
    }

    @Override
    public void disconnected(String reason) {
        record("disconnected: " + reason);
    }

    @Override
    public void error(String message) {
        record("error: " + message);
    }

    @Override
    public void frameworkRemoved(String message) {
        record("removed: " + message);
    }

    @Override
    public void failedOver(String message) {
        record("failedOver: " + message);
    }

    private void record(String line) {
        threads.add(Thread.currentThread().getName());
        log.add(line);
    }

    /**
     * Waits for the next callback whose line starts with {@code prefix}, skipping others; fails
     * after 10 s.
     */
    String await(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String line = log.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
        }
        throw new AssertionError("no '" + prefix + "' callback within 10 s; remaining: " + log);
    }
}
