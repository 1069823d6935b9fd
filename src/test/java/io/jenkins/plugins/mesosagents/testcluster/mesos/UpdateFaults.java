package io.jenkins.plugins.mesosagents.testcluster.mesos;

import org.apache.mesos.v1.Protos.TaskStatus;

/**
 * Fault injection on the status updates an agent sends through the master (those with a uuid,
 * which the agent's status update manager retries until the scheduler acknowledges them: Mesos
 * 1.11.0 src/slave/task_status_update_manager.cpp:470-490 resends the head of a task's stream when
 * its timer expires, and forwards the next one only after the acknowledgement, lines 442-462). Delivery is at least once, so both faults are what a real scheduler
 * sees:
 *
 * <ul>
 *   <li><b>duplicated</b>: the update reaches the stream twice in a row, as when a retry crosses
 *       the scheduler's acknowledgement;
 *   <li><b>delayed</b>: this transmission is lost, so the update arrives only with the next retry
 *       (one {@code statusUpdateRetryInterval} later); per-task order is kept because the next
 *       update of a task is forwarded only after this one is acknowledged.
 * </ul>
 *
 * Updates the master generates itself (no uuid, never retried) are not touched: losing one would
 * be a different fault (the master's updates are best effort; reconciliation recovers them).
 */
public final class UpdateFaults {
    private int duplicate;
    private int delay;
    private int duplicated;
    private int delayed;

    /** The next {@code count} agent updates are sent twice. */
    public synchronized void duplicateNext(int count) {
        duplicate += count;
    }

    /** The next {@code count} transmissions of agent updates are lost (the retry delivers them). */
    public synchronized void delayNext(int count) {
        delay += count;
    }

    /** Updates sent twice so far. */
    public synchronized int duplicated() {
        return duplicated;
    }

    /** Transmissions held back so far. */
    public synchronized int delayed() {
        return delayed;
    }

    /** Removes outstanding faults (counters stay). */
    public synchronized void clear() {
        duplicate = 0;
        delay = 0;
    }

    /** How many times to put this update on the stream now: 0 (delayed), 1 or 2 (duplicated). */
    synchronized int copies(TaskStatus status) {
        if (!status.hasUuid()) {
            return 1;
        }
        if (delay > 0) {
            delay--;
            delayed++;
            return 0;
        }
        if (duplicate > 0) {
            duplicate--;
            duplicated++;
            return 2;
        }
        return 1;
    }
}
