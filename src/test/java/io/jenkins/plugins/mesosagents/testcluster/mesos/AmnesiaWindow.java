package io.jenkins.plugins.mesosagents.testcluster.mesos;

import java.time.Duration;
import java.util.Objects;

/**
 * When, after a master failover with amnesia, the simulated agents reregister with the new leader:
 * the first at {@code first}, the last at {@code last}, the others evenly in between (in agent
 * order). A real agent reregisters within its registration backoff of detecting the new leader, one
 * that cannot reach it only when the partition ends; the new leader waits for it up to its {@code
 * agent_reregister_timeout} (10 min by default).
 */
public record AmnesiaWindow(Duration first, Duration last) {
    public AmnesiaWindow {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(last, "last");
        if (first.isNegative() || last.compareTo(first) < 0) {
            throw new IllegalArgumentException(
                    "amnesia window must satisfy 0 <= first <= last, got first="
                            + first.toMillis()
                            + " ms, last="
                            + last.toMillis()
                            + " ms");
        }
    }

    /** The delay after the failover at which agent {@code index} of {@code count} reregisters. */
    Duration delayOf(int index, int count) {
        if (count <= 1) {
            return first;
        }
        return first.plus(last.minus(first).multipliedBy(index).dividedBy(count - 1));
    }
}
