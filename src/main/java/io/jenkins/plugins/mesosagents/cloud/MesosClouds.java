package io.jenkins.plugins.mesosagents.cloud;

import hudson.Extension;
import hudson.ExtensionList;

import io.jenkins.plugins.mesosagents.engine.LaunchedAgent;
import io.jenkins.plugins.mesosagents.session.SchedulerSession;

import jenkins.YesNoMaybe;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The running scheduler sessions (Mesos connection + provisioning engine), one per Mesos cloud,
 * keyed by cloud name. They live here and not in {@link MesosCloud} because saving the cloud's
 * configuration page replaces the cloud object: a session is only restarted when its connection
 * settings changed, and a restart resubscribes with the same framework id, so running agents keep
 * their tasks.
 */
@Extension(dynamicLoadable = YesNoMaybe.YES)
public class MesosClouds {
    private static final Logger LOGGER = Logger.getLogger(MesosClouds.class.getName());

    private final Map<String, Running> sessions = new ConcurrentHashMap<>();
    private final Function<MesosCloud, SchedulerSession> starter;

    public MesosClouds() {
        this(MesosCloud::startSession);
    }

    MesosClouds(Function<MesosCloud, SchedulerSession> starter) {
        this.starter = starter;
    }

    public static MesosClouds get() {
        return ExtensionList.lookupSingleton(MesosClouds.class);
    }

    /**
     * The cloud's session, started on first use and restarted when the cloud's connection settings
     * changed.
     */
    SchedulerSession sessionFor(MesosCloud cloud) {
        String fingerprint = cloud.connectionFingerprint();
        return sessions.compute(
                        cloud.name,
                        (name, current) -> {
                            if (current != null && current.fingerprint.equals(fingerprint)) {
                                if (current.configuredBy != cloud) {
                                    // saving the form made a new cloud object: its templates may
                                    // differ
                                    current.session.updateTemplates(cloud.agentTemplates());
                                }
                                return new Running(fingerprint, current.session, cloud);
                            }
                            if (current != null) {
                                LOGGER.info(
                                        () ->
                                                "Connection settings of Mesos cloud "
                                                        + name
                                                        + " changed; reconnecting");
                                close(name, current.session);
                            }
                            return new Running(fingerprint, starter.apply(cloud), cloud);
                        })
                .session;
    }

    /**
     * The future of an agent's task reaching RUNNING; failed with a reason when the cloud has no
     * such agent.
     */
    CompletableFuture<LaunchedAgent> running(String cloudName, String agentName) {
        Running running = sessions.get(cloudName);
        if (running == null) {
            return CompletableFuture.failedFuture(
                    new IllegalStateException(
                            "Mesos cloud "
                                    + cloudName
                                    + " is not running (it was removed, or Jenkins restarted before"
                                    + " "
                                    + agentName
                                    + " connected)"));
        }
        return running.session.running(agentName);
    }

    /**
     * Why the template's agents are still waiting (e.g. "offers have too few cpus: need 4, best
     * 2"), if they are.
     */
    String waitingReason(String cloudName, String templateName) {
        Running running = sessions.get(cloudName);
        if (running == null) {
            return null;
        }
        var status = running.session.snapshot().templates().get(templateName);
        return status == null || status.waiting() == null ? null : status.waiting().toString();
    }

    /** The cloud's running session, if it has one (nothing is started by asking). */
    java.util.Optional<SchedulerSession> existing(String cloudName) {
        Running running = sessions.get(cloudName);
        return java.util.Optional.ofNullable(running == null ? null : running.session);
    }

    /** Jenkins is done with the agent: kill its task (or cancel its pending launch). */
    void release(String cloudName, String agentName) {
        Running running = sessions.get(cloudName);
        if (running != null) {
            running.session.release(agentName);
        } else {
            LOGGER.info(
                    () ->
                            "Mesos cloud "
                                    + cloudName
                                    + " has no session; the task of "
                                    + agentName
                                    + " is killed as an orphan when the cloud reconnects");
        }
    }

    /** Names of the clouds that have a running session. */
    java.util.Set<String> cloudNames() {
        return java.util.Set.copyOf(sessions.keySet());
    }

    /**
     * Stops the session of a cloud that no longer exists (its tasks run on until the failover
     * timeout).
     */
    void forget(String cloudName) {
        Running running = sessions.remove(cloudName);
        if (running != null) {
            close(cloudName, running.session);
        }
    }

    private static void close(String cloudName, SchedulerSession session) {
        try {
            session.close();
        } catch (RuntimeException e) {
            LOGGER.log(
                    Level.WARNING,
                    "Closing the Mesos session of cloud " + cloudName + " failed",
                    e);
        }
    }

    /**
     * A session and the cloud object whose templates it runs (templates resolve credentials: not on
     * every call).
     */
    private record Running(String fingerprint, SchedulerSession session, MesosCloud configuredBy) {}
}
