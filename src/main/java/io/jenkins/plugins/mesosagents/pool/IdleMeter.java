package io.jenkins.plugins.mesosagents.pool;

import java.time.Duration;
import java.time.Instant;

/**
 * Agent-time spent idle, the cost of a warm pool: each observation adds the previous idle count
 * times the time since the previous observation.
 */
final class IdleMeter {
    private Instant last;
    private int idle;
    private long idleAgentMillis;

    void observe(Instant now, int idleNow) {
        if (last != null && now.isAfter(last)) {
            idleAgentMillis += idle * Duration.between(last, now).toMillis();
        }
        last = now;
        idle = Math.max(0, idleNow);
    }

    double idleAgentMinutes() {
        return idleAgentMillis / 60_000.0;
    }
}
