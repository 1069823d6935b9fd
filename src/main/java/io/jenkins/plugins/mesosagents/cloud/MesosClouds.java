package io.jenkins.plugins.mesosagents.cloud;

import hudson.Extension;
import hudson.ExtensionList;
import hudson.XmlFile;
import hudson.init.InitMilestone;
import hudson.init.Initializer;
import hudson.model.Node;
import hudson.model.Saveable;
import hudson.model.listeners.SaveableListener;

import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.LaunchedAgent;
import io.jenkins.plugins.mesosagents.session.SchedulerSession;
import io.jenkins.plugins.mesosagents.settings.TemplateSettings;

import jenkins.YesNoMaybe;
import jenkins.model.Jenkins;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * their tasks. Every configured cloud has a session from Jenkins start-up on ({@link #sync}), so
 * persisted agents are re-attached, orphans killed and releases delivered without waiting for
 * demand.
 */
@Extension(dynamicLoadable = YesNoMaybe.YES)
public class MesosClouds {
    private static final Logger LOGGER = Logger.getLogger(MesosClouds.class.getName());

    private final Map<String, Running> sessions = new ConcurrentHashMap<>();
    private final Set<String> tearingDown = ConcurrentHashMap.newKeySet();

    /** Templates Jenkinsfiles declared (mesosAgent), by cloud name, then template name. */
    private final Map<String, Map<String, Declared>> declared = new ConcurrentHashMap<>();

    private final Function<MesosCloud, SchedulerSession> starter;
    private final CloudState state;

    public MesosClouds() {
        this(MesosCloud::startSession, CloudState.IN_JENKINS);
    }

    MesosClouds(Function<MesosCloud, SchedulerSession> starter) {
        this(starter, CloudState.IN_JENKINS);
    }

    MesosClouds(Function<MesosCloud, SchedulerSession> starter, CloudState state) {
        this.starter = starter;
        this.state = state;
    }

    public static MesosClouds get() {
        return ExtensionList.lookupSingleton(MesosClouds.class);
    }

    /**
     * Starts every configured cloud's session once Jenkins has loaded its configuration: agents
     * (nodes) are loaded with it (Jenkins.java:3525-3536 at jenkins-2.479.3, "Loading global
     * config", attaining SYSTEM_CONFIG_LOADED) and JCasC applies its YAML before
     * SYSTEM_CONFIG_ADAPTED. Core launches the persisted agents' computers only later.
     */
    // not fatal: a cloud that cannot connect must never keep Jenkins from starting
    @Initializer(after = InitMilestone.SYSTEM_CONFIG_ADAPTED, fatal = false)
    public static void startSessions() {
        get().sync(Jenkins.get().clouds.getAll(MesosCloud.class));
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
                            SchedulerSession started = starter.apply(cloud);
                            declared(name).values().forEach(d -> started.addTemplate(d.agent()));
                            return new Running(fingerprint, started, cloud);
                        })
                .session;
    }

    /**
     * A template a Jenkinsfile declared: its settings (for its nodes) and the engine's template.
     */
    record Declared(TemplateSettings settings, AgentTemplate agent) {}

    private Map<String, Declared> declared(String cloudName) {
        return declared.getOrDefault(cloudName, Map.of());
    }

    /** The templates Jenkinsfiles declared on a cloud, for as long as their blocks run. */
    List<TemplateSettings> jenkinsfileTemplates(String cloudName) {
        return declared(cloudName).values().stream().map(Declared::settings).toList();
    }

    /**
     * Adds a Jenkinsfile's template to the cloud's session until {@link
     * #removeJenkinsfileTemplate}; also after a restart of the session.
     */
    void addJenkinsfileTemplate(MesosCloud cloud, TemplateSettings settings, AgentTemplate agent) {
        SchedulerSession session = sessionFor(cloud);
        declared.computeIfAbsent(cloud.name, k -> new ConcurrentHashMap<>())
                .put(settings.name(), new Declared(settings, agent));
        session.addTemplate(agent);
    }

    /**
     * The Jenkinsfile block of a template ended: the template goes, its pending agents are
     * cancelled, its tasks killed and its nodes removed.
     */
    void removeJenkinsfileTemplate(String cloudName, String templateName) {
        Map<String, Declared> ofCloud = declared.get(cloudName);
        if (ofCloud != null) {
            ofCloud.remove(templateName);
        }
        session(cloudName).ifPresent(s -> s.removeTemplate(templateName));
        state.removeAgents(cloudName, templateName);
    }

    /**
     * The session of a cloud by name: started if the cloud is configured and has none yet (e.g. an
     * agent launched or released right after a restart), else the one still running for it.
     */
    Optional<SchedulerSession> session(String cloudName) {
        MesosCloud cloud = state.configured(cloudName);
        if (cloud != null) {
            try {
                return Optional.of(sessionFor(cloud));
            } catch (RuntimeException e) {
                LOGGER.log(
                        Level.WARNING,
                        "Mesos cloud " + cloudName + " cannot start: " + e.getMessage(),
                        e);
            }
        }
        return existing(cloudName);
    }

    /**
     * Brings the sessions in line with the configured clouds: on start-up, on every save of the
     * configuration and once a minute. A cloud that disappeared while another with the same
     * connection settings appeared was renamed: its framework, tasks, state file and agents move to
     * the new name. A cloud that disappeared otherwise was deleted: its framework is torn down
     * (Mesos kills all its tasks) and its agents are removed. Then every configured cloud gets a
     * session (a failing one is logged and tried again next time).
     */
    synchronized void sync(Collection<MesosCloud> configured) {
        Set<String> names = new HashSet<>();
        configured.forEach(c -> names.add(c.name));
        for (MesosCloud cloud : configured) {
            if (sessions.containsKey(cloud.name)) {
                continue;
            }
            List<String> renamedFrom = new ArrayList<>();
            sessions.forEach(
                    (name, running) -> {
                        if (!names.contains(name)
                                && running.fingerprint.equals(cloud.connectionFingerprint())) {
                            renamedFrom.add(name);
                        }
                    });
            if (renamedFrom.size() == 1) {
                rename(renamedFrom.get(0), cloud.name);
            }
        }
        for (String name : List.copyOf(sessions.keySet())) {
            if (!names.contains(name)) {
                delete(name);
            }
        }
        for (MesosCloud cloud : configured) {
            try {
                sessionFor(cloud);
            } catch (RuntimeException e) {
                LOGGER.log(
                        Level.WARNING,
                        "Mesos cloud " + cloud.name + " cannot start: " + e.getMessage(),
                        e);
            }
        }
    }

    private void rename(String from, String to) {
        LOGGER.info(
                () ->
                        "Mesos cloud "
                                + from
                                + " was renamed to "
                                + to
                                + "; its framework, tasks and agents move with it");
        Running old = sessions.remove(from);
        // closing writes the engine's state; only then can its file move
        close(from, old.session);
        state.moveState(from, to);
        state.moveAgents(from, to);
    }

    private void delete(String name) {
        Running running = sessions.get(name);
        if (running == null || !tearingDown.add(name)) {
            return;
        }
        LOGGER.info(() -> "Mesos cloud " + name + " was deleted; tearing its framework down");
        running.session
                .teardown()
                .whenComplete(
                        (ok, failure) -> {
                            tearingDown.remove(name);
                            if (failure != null) {
                                LOGGER.warning(
                                        () ->
                                                "Could not tear down the framework of deleted Mesos"
                                                        + " cloud "
                                                        + name
                                                        + " (tried again in a minute): "
                                                        + failure.getMessage());
                                return;
                            }
                            sessions.remove(name, running);
                            state.deleteState(name);
                            state.removeAgents(name);
                        });
    }

    /**
     * The future of an agent's task reaching RUNNING; failed with a reason when the cloud has no
     * such agent.
     */
    CompletableFuture<LaunchedAgent> running(String cloudName, String agentName) {
        return session(cloudName)
                .map(s -> s.running(agentName))
                .orElseGet(
                        () ->
                                CompletableFuture.failedFuture(
                                        new IllegalStateException(
                                                "Mesos cloud "
                                                        + cloudName
                                                        + " does not exist (it was deleted or"
                                                        + " renamed with other settings); "
                                                        + agentName
                                                        + " cannot run")));
    }

    /** The agent's node is in Jenkins: its task may be launched. */
    void nodeReady(String cloudName, String agentName) {
        session(cloudName).ifPresent(s -> s.nodeReady(agentName));
    }

    /** The agent connected to Jenkins. */
    void agentConnected(String cloudName, String agentName) {
        existing(cloudName).ifPresent(s -> s.agentConnected(agentName));
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
    Optional<SchedulerSession> existing(String cloudName) {
        Running running = sessions.get(cloudName);
        return Optional.ofNullable(running == null ? null : running.session);
    }

    /**
     * Jenkins is done with the agent: kill its task (or cancel its pending launch). The session is
     * started if need be; the engine sends the KILL once subscribed.
     */
    void release(String cloudName, String agentName) {
        Optional<SchedulerSession> session = session(cloudName);
        if (session.isPresent()) {
            session.get().release(agentName);
        } else {
            LOGGER.info(
                    () ->
                            "Mesos cloud "
                                    + cloudName
                                    + " no longer exists; the task of "
                                    + agentName
                                    + " ended with its framework");
        }
    }

    /** Names of the clouds that have a running session. */
    Set<String> cloudNames() {
        return Set.copyOf(sessions.keySet());
    }

    /** Stops a cloud's session without killing its tasks (they run on for the failover timeout). */
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

    /**
     * Saving the global configuration (Jenkins.save() fires this: Jenkins.java:3623-3660 at
     * jenkins-2.479.3; a cloud's own page saves through it, Cloud.java:337-338, as does adding one,
     * CloudSet.java:262 via DescribableList.onModified) brings the sessions in line at once, off
     * the saving thread.
     */
    @Extension(dynamicLoadable = YesNoMaybe.YES)
    public static final class OnSave extends SaveableListener {
        @Override
        public void onChange(Saveable o, XmlFile file) {
            if (o instanceof Jenkins jenkins) {
                List<MesosCloud> configured = jenkins.clouds.getAll(MesosCloud.class);
                Background.run(() -> get().sync(configured));
            }
        }
    }

    /** Where a cloud's configuration, state file and agents live (Jenkins; doubled in tests). */
    interface CloudState {
        MesosCloud configured(String cloudName);

        void moveState(String from, String to);

        void deleteState(String cloudName);

        void moveAgents(String from, String to);

        void removeAgents(String cloudName);

        /** Removes the nodes of one template of the cloud (their tasks are released). */
        void removeAgents(String cloudName, String templateName);

        CloudState IN_JENKINS = new JenkinsCloudState();
    }

    private static final class JenkinsCloudState implements CloudState {
        @Override
        public MesosCloud configured(String cloudName) {
            Jenkins jenkins = Jenkins.getInstanceOrNull();
            return jenkins != null && jenkins.getCloud(cloudName) instanceof MesosCloud cloud
                    ? cloud
                    : null;
        }

        @Override
        public void moveState(String from, String to) {
            CloudSessions.moveState(from, to);
        }

        @Override
        public void deleteState(String cloudName) {
            CloudSessions.deleteState(cloudName);
        }

        @Override
        public void moveAgents(String from, String to) {
            for (MesosAgent agent : agents(from)) {
                agent.movedToCloud(to);
            }
        }

        @Override
        public void removeAgents(String cloudName) {
            terminate(agents(cloudName));
        }

        @Override
        public void removeAgents(String cloudName, String templateName) {
            terminate(
                    agents(cloudName).stream()
                            .filter(a -> templateName.equals(a.getTemplateName()))
                            .toList());
        }

        private static void terminate(List<MesosAgent> agents) {
            for (MesosAgent agent : agents) {
                Background.run(
                        () -> {
                            try {
                                agent.terminate();
                            } catch (Exception e) {
                                LOGGER.log(
                                        Level.WARNING,
                                        "Could not remove agent " + agent.getNodeName(),
                                        e);
                            }
                        });
            }
        }

        private static List<MesosAgent> agents(String cloudName) {
            List<MesosAgent> agents = new ArrayList<>();
            for (Node node : Jenkins.get().getNodes()) {
                if (node instanceof MesosAgent agent && cloudName.equals(agent.getCloudName())) {
                    agents.add(agent);
                }
            }
            return agents;
        }
    }
}
