package io.jenkins.plugins.mesosagents.cloud;

import hudson.model.Computer;
import hudson.model.Node;

import io.jenkins.plugins.mesosagents.engine.EngineSnapshot;
import io.jenkins.plugins.mesosagents.engine.TemplateStatus;
import io.jenkins.plugins.mesosagents.pool.PoolState;
import io.jenkins.plugins.mesosagents.pool.WarmPool;
import io.jenkins.plugins.mesosagents.pool.WarmPools;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The warm pools of every Mesos cloud, on the Jenkins side: counts a template's idle and launching
 * agents among the nodes, asks the cloud's {@link WarmPools} how many to add and has the cloud
 * admit them, answers whether an idle agent is still wanted, records demand, and keeps each pool's
 * last state for the cloud page. The pool decisions are Jenkins-free ({@code pool/}).
 */
final class WarmPoolBook {
    private static final Logger LOGGER = Logger.getLogger(WarmPoolBook.class.getName());

    private final Clock clock;
    private final Map<String, WarmPools> pools = new ConcurrentHashMap<>();
    private final Map<String, Map<String, PoolState>> states = new ConcurrentHashMap<>();

    WarmPoolBook(Clock clock) {
        this.clock = clock;
    }

    /** Forgets clouds that are no longer configured. */
    void retainClouds(List<String> cloudNames) {
        pools.keySet().retainAll(cloudNames);
        states.keySet().retainAll(cloudNames);
    }

    /** One pass over a cloud's templates: the agents to add to Jenkins to fill their pools. */
    List<MesosAgent> check(MesosCloud cloud, List<Node> nodes) {
        WarmPools cloudPools = poolsOf(cloud.name);
        List<String> names = cloud.getTemplates().stream().map(MesosAgentTemplate::getName).toList();
        cloudPools.retain(names);
        Map<String, PoolState> cloudStates =
                states.computeIfAbsent(cloud.name, n -> new ConcurrentHashMap<>());
        cloudStates.keySet().retainAll(names);
        Optional<EngineSnapshot> snapshot =
                MesosClouds.get().existing(cloud.name).map(s -> s.snapshot());
        if (snapshot.isEmpty()) {
            return List.of(); // not connected: nothing can launch, and nothing is counted
        }
        List<MesosAgent> added = new ArrayList<>();
        for (MesosAgentTemplate template : cloud.getTemplates()) {
            WarmPool pool = template.isValid() ? template.pool() : WarmPool.OFF;
            if (pool.isOff()) {
                cloudStates.remove(template.getName());
                continue;
            }
            Counts counts = count(nodes, cloud.name, template.getName());
            PoolState state =
                    cloudPools.check(
                            template.getName(),
                            pool,
                            counts.idle,
                            counts.launching,
                            timeToOnline(snapshot.get(), template.getName()));
            cloudStates.put(template.getName(), state);
            if (state.toLaunch() > 0) {
                try {
                    added.addAll(cloud.admitAgents(template, state.toLaunch()));
                } catch (Exception e) {
                    LOGGER.log(
                            Level.WARNING,
                            "Mesos cloud "
                                    + cloud.name
                                    + ": could not launch warm agents for template "
                                    + template.getName()
                                    + ": "
                                    + e.getMessage(),
                            e);
                }
            }
        }
        return added;
    }

    /** A build for the template's labels entered the queue (for the adaptive estimate). */
    void arrived(String cloudName, String template) {
        poolsOf(cloudName).arrived(template);
    }

    /**
     * Whether the agent's pool still wants it, idle as it is: its template has a pool and the
     * template's idle agents (this one included) are not above the pool's target.
     */
    boolean keeps(MesosCloud cloud, MesosAgent agent, List<Node> nodes) {
        MesosAgentTemplate template = cloud.template(agent.getTemplateName());
        if (template == null || !template.isValid() || template.pool().isOff()) {
            return false;
        }
        Optional<EngineSnapshot> snapshot =
                MesosClouds.get().existing(cloud.name).map(s -> s.snapshot());
        int idle = count(nodes, cloud.name, template.getName()).idle;
        return poolsOf(cloud.name)
                .keepsIdle(
                        template.getName(),
                        template.pool(),
                        Math.max(idle, 1),
                        snapshot.flatMap(s -> timeToOnline(s, template.getName())));
    }

    /** The pool's last state, for the cloud page; empty when the template keeps no pool. */
    Optional<PoolState> state(String cloudName, String template) {
        return Optional.ofNullable(states.getOrDefault(cloudName, Map.of()).get(template));
    }

    private WarmPools poolsOf(String cloudName) {
        return pools.computeIfAbsent(cloudName, n -> new WarmPools(clock, clock));
    }

    private static Optional<Duration> timeToOnline(EngineSnapshot snapshot, String template) {
        TemplateStatus status = snapshot.templates().get(template);
        if (status == null || status.figures().samples() == 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis(status.figures().p50Millis()));
    }

    /** Idle: online, taking work, no build. Launching: never online yet. */
    record Counts(int idle, int launching) {}

    static Counts count(List<Node> nodes, String cloudName, String template) {
        int idle = 0;
        int launching = 0;
        for (Node node : nodes) {
            if (!(node instanceof MesosAgent agent)
                    || !cloudName.equals(agent.getCloudName())
                    || !template.equals(agent.getTemplateName())) {
                continue;
            }
            Computer c = node.toComputer();
            if (c == null || c.isOffline()) {
                // not yet connected once; one that was and went offline is on its way out
                if (!(agent.getLauncher() instanceof MesosLauncher l) || !l.isLaunched()) {
                    launching++;
                }
            } else if (c.isIdle() && c.isAcceptingTasks()) {
                idle++;
            }
        }
        return new Counts(idle, launching);
    }
}
