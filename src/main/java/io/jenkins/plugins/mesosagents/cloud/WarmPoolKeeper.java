package io.jenkins.plugins.mesosagents.cloud;

import hudson.Extension;
import hudson.ExtensionList;
import hudson.model.Computer;
import hudson.model.Node;
import hudson.model.PeriodicWork;

import io.jenkins.plugins.mesosagents.engine.EngineSnapshot;
import io.jenkins.plugins.mesosagents.engine.TemplateStatus;
import io.jenkins.plugins.mesosagents.pool.PoolState;
import io.jenkins.plugins.mesosagents.pool.WarmPool;
import io.jenkins.plugins.mesosagents.pool.WarmPools;

import jenkins.YesNoMaybe;
import jenkins.model.Jenkins;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps each template's warm pool at its target: every {@link #PERIOD} it counts the template's
 * idle and launching agents, asks the cloud's {@link WarmPools} how many to add, and adds them as
 * Jenkins nodes (their launchers start the Mesos tasks, as for any agent). It also answers the
 * retention strategy whether an idle agent is still wanted, and keeps the pools' states for the
 * cloud page. The pool decisions are Jenkins-free ({@code pool/}); this class only counts nodes
 * and adds them.
 */
@Extension(dynamicLoadable = YesNoMaybe.YES)
public final class WarmPoolKeeper extends PeriodicWork {
    private static final Logger LOGGER = Logger.getLogger(WarmPoolKeeper.class.getName());
    static final long PERIOD = 10_000;

    private final Clock clock;
    private final Map<String, WarmPools> pools = new ConcurrentHashMap<>();
    private final Map<String, PoolState> states = new ConcurrentHashMap<>();

    public WarmPoolKeeper() {
        this(Clock.systemDefaultZone());
    }

    WarmPoolKeeper(Clock clock) {
        this.clock = clock;
    }

    /** The keeper, or null where Jenkins has none (a plugin being unloaded). */
    static WarmPoolKeeper find() {
        return ExtensionList.lookupSingleton(WarmPoolKeeper.class);
    }

    @Override
    public long getRecurrencePeriod() {
        return PERIOD;
    }

    @Override
    protected void doRun() {
        Jenkins jenkins = Jenkins.get();
        List<MesosCloud> clouds = jenkins.clouds.getAll(MesosCloud.class);
        pools.keySet().retainAll(clouds.stream().map(c -> c.name).toList());
        List<Node> nodes = jenkins.getNodes();
        for (MesosCloud cloud : clouds) {
            for (MesosAgent agent : check(cloud, nodes)) {
                try {
                    jenkins.addNode(agent);
                } catch (Exception e) {
                    LOGGER.log(
                            Level.WARNING,
                            "Mesos cloud " + cloud.name + ": could not add warm agent " + agent.getNodeName(),
                            e);
                    MesosClouds.get().release(cloud.name, agent.getNodeName());
                }
            }
        }
    }

    /** One pass over a cloud's templates: the agents to add to Jenkins to fill their pools. */
    List<MesosAgent> check(MesosCloud cloud, List<Node> nodes) {
        WarmPools cloudPools = poolsOf(cloud.name);
        cloudPools.retain(cloud.getTemplates().stream().map(MesosAgentTemplate::getName).toList());
        Optional<EngineSnapshot> snapshot =
                MesosClouds.get().existing(cloud.name).map(s -> s.snapshot());
        if (snapshot.isEmpty()) {
            return List.of(); // not connected: nothing can launch, and nothing is counted
        }
        List<MesosAgent> added = new java.util.ArrayList<>();
        for (MesosAgentTemplate template : cloud.getTemplates()) {
            String key = cloud.name + "/" + template.getName();
            WarmPool pool = template.isValid() ? template.pool() : WarmPool.OFF;
            if (pool.isOff()) {
                states.remove(key);
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
            states.put(key, state);
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
    boolean keeps(MesosAgent agent) {
        if (!(Jenkins.get().clouds.getByName(agent.getCloudName()) instanceof MesosCloud cloud)) {
            return false;
        }
        MesosAgentTemplate template = cloud.template(agent.getTemplateName());
        if (template == null || !template.isValid() || template.pool().isOff()) {
            return false;
        }
        Optional<EngineSnapshot> snapshot =
                MesosClouds.get().existing(cloud.name).map(s -> s.snapshot());
        int idle = count(Jenkins.get().getNodes(), cloud.name, template.getName()).idle;
        return poolsOf(cloud.name)
                .keepsIdle(
                        template.getName(),
                        template.pool(),
                        Math.max(idle, 1),
                        snapshot.flatMap(s -> timeToOnline(s, template.getName())));
    }

    /** The pool's last state, for the cloud page; empty when the template keeps no pool. */
    Optional<PoolState> state(String cloudName, String template) {
        return Optional.ofNullable(states.get(cloudName + "/" + template));
    }

    private WarmPools poolsOf(String cloudName) {
        return pools.computeIfAbsent(cloudName, n -> new WarmPools(clock, clock));
    }

    private static Optional<Duration> timeToOnline(EngineSnapshot snapshot, String template) {
        TemplateStatus status = snapshot.templates().get(template);
        if (status == null || status.figures().samples() == 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis(status.figures().p95Millis()));
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
