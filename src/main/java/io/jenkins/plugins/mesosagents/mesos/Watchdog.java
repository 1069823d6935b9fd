package io.jenkins.plugins.mesosagents.mesos;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Cancels the subscription stream when nothing arrived for too long: the SUBSCRIBE response within
 * the request timeout, then any event within {@code missedHeartbeats × heartbeat_interval_seconds}.
 * A half-open TCP connection (network partition) gives no error on its own; this is what notices
 * it.
 */
final class Watchdog {
    private final ScheduledExecutorService timer;
    private long deadlineNanos;
    private long lastEventNanos;
    private SubscriptionLoop target;
    private ScheduledFuture<?> pending;

    Watchdog(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    synchronized void arm(Duration deadline, SubscriptionLoop loop) {
        deadlineNanos = deadline.toNanos();
        lastEventNanos = System.nanoTime();
        target = loop;
        reschedule(deadlineNanos);
    }

    synchronized void touch() {
        lastEventNanos = System.nanoTime();
    }

    synchronized void disarm() {
        target = null;
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    private void reschedule(long delayNanos) {
        if (pending != null) {
            pending.cancel(false);
        }
        try {
            pending = timer.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            pending = null;
        }
    }

    private synchronized void check() {
        if (target == null) {
            return;
        }
        long idle = System.nanoTime() - lastEventNanos;
        if (idle >= deadlineNanos) {
            SubscriptionLoop loop = target;
            target = null;
            pending = null;
            loop.cancel(
                    "nothing received from the master for "
                            + Duration.ofNanos(idle).toMillis()
                            + " ms (limit "
                            + Duration.ofNanos(deadlineNanos).toMillis()
                            + " ms)");
        } else {
            reschedule(deadlineNanos - idle);
        }
    }
}
