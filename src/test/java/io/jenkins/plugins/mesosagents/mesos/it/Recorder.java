package io.jenkins.plugins.mesosagents.mesos.it;

import io.jenkins.plugins.mesosagents.mesos.SchedulerConnection;
import io.jenkins.plugins.mesosagents.mesos.SchedulerListener;

import okhttp3.HttpUrl;

import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.scheduler.Protos.Event;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A listener that records everything a {@link SchedulerConnection} reports and, like a real
 * framework, acknowledges every status update that carries a uuid. It counts deliveries and
 * acknowledgements per uuid so tests can prove "acknowledged exactly once, never resent
 * afterwards".
 */
final class Recorder implements SchedulerListener {
    record Subscription(String frameworkId, HttpUrl master) {}

    final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    final List<Event> events = new CopyOnWriteArrayList<>();
    final List<String> disconnects = new CopyOnWriteArrayList<>();

    /** System.nanoTime() of each {@link #disconnected} callback. */
    final List<Long> disconnectTimes = new CopyOnWriteArrayList<>();

    final List<String> errors = new CopyOnWriteArrayList<>();
    final List<String> removed = new CopyOnWriteArrayList<>();
    final List<String> failedOver = new CopyOnWriteArrayList<>();
    final List<Throwable> ackFailures = new CopyOnWriteArrayList<>();

    /** uuid (hex) → how often an update with it arrived / was acknowledged successfully. */
    final Map<String, AtomicInteger> delivered = new ConcurrentHashMap<>();

    final Map<String, AtomicInteger> acknowledged = new ConcurrentHashMap<>();

    /**
     * uuids whose ACKNOWLEDGE the master accepted, with the update that arrived after that (must
     * stay empty).
     */
    final List<String> resentAfterAck = new CopyOnWriteArrayList<>();

    final AtomicInteger heartbeats = new AtomicInteger();
    volatile SchedulerConnection connection;
    volatile boolean acknowledge = true;

    @Override
    public void subscribed(String frameworkId, Event.Subscribed subscribed, HttpUrl master) {
        subscriptions.add(new Subscription(frameworkId, master));
    }

    @Override
    public void event(Event event) {
        events.add(event);
        switch (event.getType()) {
            case HEARTBEAT -> heartbeats.incrementAndGet();
            case UPDATE -> onUpdate(event.getUpdate().getStatus());
            default -> {}
        }
    }

    private void onUpdate(TaskStatus status) {
        if (!status.hasUuid() || status.getUuid().isEmpty()) {
            return;
        }
        String uuid = hex(status.getUuid().toByteArray());
        delivered.computeIfAbsent(uuid, k -> new AtomicInteger()).incrementAndGet();
        if (acknowledged.containsKey(uuid)) {
            resentAfterAck.add(uuid + " " + status.getState());
        }
        if (acknowledge && connection != null) {
            connection
                    .acknowledge(status)
                    .whenComplete(
                            (ok, failure) -> {
                                if (failure != null) {
                                    ackFailures.add(failure);
                                } else {
                                    acknowledged
                                            .computeIfAbsent(uuid, k -> new AtomicInteger())
                                            .incrementAndGet();
                                }
                            });
        }
    }

    @Override
    public void disconnected(String reason) {
        disconnectTimes.add(System.nanoTime());
        disconnects.add(reason);
    }

    @Override
    public void error(String message) {
        errors.add(message);
    }

    @Override
    public void frameworkRemoved(String message) {
        removed.add(message);
    }

    @Override
    public void failedOver(String message) {
        failedOver.add(message);
    }

    /**
     * The first SUBSCRIBED, waiting for its callback (the connection's state changes before
     * listeners run).
     */
    Subscription first() {
        return org.awaitility.Awaitility.await()
                .atMost(SimCluster.WAIT)
                .until(() -> subscriptions.isEmpty() ? null : subscriptions.get(0), s -> s != null);
    }

    List<Offer> offers() {
        return events.stream()
                .filter(e -> e.getType() == Event.Type.OFFERS)
                .flatMap(e -> e.getOffers().getOffersList().stream())
                .toList();
    }

    Offer latestOffer() {
        List<Offer> all = offers();
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    List<TaskStatus> updates(String taskId) {
        return events.stream()
                .filter(e -> e.getType() == Event.Type.UPDATE)
                .map(e -> e.getUpdate().getStatus())
                .filter(s -> s.getTaskId().getValue().equals(taskId))
                .toList();
    }

    boolean sawState(String taskId, TaskState state) {
        return updates(taskId).stream().anyMatch(s -> s.getState() == state);
    }

    private static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append(String.format("%02x", b));
        }
        return s.toString();
    }
}
