package io.jenkins.plugins.mesosagents.engine;

import java.time.Instant;
import java.util.Set;

/**
 * The engine's view of Jenkins, implemented by the cloud glue. All methods are called on the
 * engine's loop and must return quickly (hand work to Jenkins' own threads); the engine never calls
 * them while holding a lock.
 */
public interface JenkinsAgents {

    /** Names of the Jenkins nodes this cloud currently owns (including ones still connecting). */
    Set<String> agentNames();

    /** A running agent's task ended or vanished in Mesos: remove or mark offline the node. */
    void agentLost(String agentName, String reason);

    /**
     * The agent's host is scheduled for maintenance from {@code start}: stop giving it builds and
     * {@link ProvisioningEngine#release(String) release} it once idle.
     */
    void agentDraining(String agentName, Instant start);

    /**
     * Something about the agent's task the user should read in the agent's log (e.g. Mesos refuses
     * to kill it). Does nothing unless the cloud has a place for it.
     */
    default void agentNote(String agentName, String message) {}

    /**
     * The agent's task reached a terminal state at {@code at} (the update's Mesos timestamp),
     * whoever ended it; called before {@link #agentLost}. For accounting: a build on it ends there
     * at the latest.
     */
    default void taskEnded(String agentName, Instant at) {}
}
