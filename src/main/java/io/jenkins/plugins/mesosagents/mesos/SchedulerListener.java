package io.jenkins.plugins.mesosagents.mesos;

import okhttp3.HttpUrl;

import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * Receives what happens on a {@link SchedulerConnection}. All methods are called on one dedicated
 * thread, in the order the events arrived; a slow listener delays the events after it, never
 * reorders them. Exceptions thrown here are logged and do not stop delivery.
 */
public interface SchedulerListener {

    /** SUBSCRIBED arrived (also after every re-subscription); offers are regenerated after this. */
    default void subscribed(String frameworkId, Event.Subscribed subscribed, HttpUrl master) {}

    /** Every event other than SUBSCRIBED and ERROR, HEARTBEAT included, in stream order. */
    default void event(Event event) {}

    /**
     * A subscription attempt failed or an established stream was lost; the connection retries after
     * a backoff.
     */
    default void disconnected(String reason) {}

    /**
     * Something the operator should see: an ERROR event other than the two final ones below (the
     * master closes the stream, the connection retries), a permanent refusal of SUBSCRIBE (any 4xx
     * but 408/429, with the master's answer; the connection keeps retrying with backoff), or a
     * framework id the store could not persist.
     */
    default void error(String message) {}

    /**
     * The master removed this framework ("Framework has been removed", e.g. failover_timeout
     * expired or TEARDOWN): its tasks are gone and the id can never subscribe again. The connection
     * stops; to start over, clear the {@link FrameworkIdStore} and open a new connection.
     */
    default void frameworkRemoved(String message) {}

    /**
     * Another scheduler subscribed with the same framework id ("Framework failed over"); this
     * connection stops.
     */
    default void failedOver(String message) {}
}
