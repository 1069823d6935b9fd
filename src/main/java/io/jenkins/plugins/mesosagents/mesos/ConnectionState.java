package io.jenkins.plugins.mesosagents.mesos;

/**
 * Where a {@link SchedulerConnection} stands. The last three are final: the connection does not
 * reconnect.
 */
public enum ConnectionState {
    /** Looking for a master or waiting for SUBSCRIBED. */
    CONNECTING,
    /** SUBSCRIBED received; calls may be sent. */
    SUBSCRIBED,
    /** The stream was lost; waiting out the backoff before the next SUBSCRIBE. */
    DISCONNECTED,
    /**
     * The master answered "Framework has been removed": this framework id is dead, its tasks are
     * gone.
     */
    FRAMEWORK_REMOVED,
    /**
     * Another scheduler subscribed with this framework id and took over ("Framework failed over").
     */
    FAILED_OVER,
    /** {@link SchedulerConnection#close()} was called. */
    CLOSED;

    public boolean isTerminal() {
        return this == FRAMEWORK_REMOVED || this == FAILED_OVER || this == CLOSED;
    }
}
