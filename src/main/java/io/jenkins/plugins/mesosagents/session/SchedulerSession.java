package io.jenkins.plugins.mesosagents.session;

import io.jenkins.plugins.mesosagents.engine.AgentNamer;
import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.EngineSnapshot;
import io.jenkins.plugins.mesosagents.engine.LaunchedAgent;
import io.jenkins.plugins.mesosagents.engine.PlannedAgent;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One Mesos cloud at run time: its framework connection and its provisioning engine, as the Jenkins
 * layer sees them. Demand goes in ({@link #provision}), agents' fates come out ({@link #running});
 * {@link #release} ends an agent's task. Closing disconnects without killing tasks: they run on for
 * the framework's failover timeout, so a new session with the same persisted framework id takes
 * them over.
 */
public interface SchedulerSession extends AutoCloseable {

    /** Replaces the templates (agents waiting for a removed template fail). */
    void updateTemplates(Collection<AgentTemplate> templates);

    /**
     * Adds a template for a while (one a Jenkinsfile declared): it stays across {@link
     * #updateTemplates} until {@link #removeTemplate} names it.
     */
    void addTemplate(AgentTemplate template);

    /**
     * Removes an added template and ends all its agents: those not launched yet are cancelled,
     * running tasks are killed.
     */
    void removeTemplate(String templateName);

    /**
     * Plans up to {@code count} agents of a template, within the caps; each ends running or failed
     * with a reason. Their tasks are launched only after {@link #nodeReady} names them.
     */
    CompletableFuture<List<PlannedAgent>> provision(
            String templateName, int count, AgentNamer namer);

    /** The agent's Jenkins node exists, so its inbound agent will be accepted: launch its task. */
    void nodeReady(String agentName);

    /** The agent connected to Jenkins (its task ending from now on may be a crash). */
    void agentConnected(String agentName);

    /**
     * Completes when the agent's task runs; fails with the reason it will not (or when the agent is
     * unknown).
     */
    CompletableFuture<LaunchedAgent> running(String agentName);

    /** Jenkins is done with the agent: kill its task, or cancel its launch. */
    void release(String agentName);

    /** The engine's latest state (templates' diagnostics included), for the UI. */
    EngineSnapshot snapshot();

    /**
     * The connection's state and, when it cannot work any more, why (framework removed, failed
     * over).
     */
    Status status();

    /**
     * The cloud was deleted: TEARDOWN the framework (Mesos kills all its tasks) and close.
     * Completes when the master accepted the call; fails if it could not be sent (nothing was torn
     * down).
     */
    CompletableFuture<Void> teardown();

    @Override
    void close();

    /** Where the connection stands, in words a user can act on. */
    record Status(String state, boolean terminal, String detail) {}
}
