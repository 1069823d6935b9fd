package io.jenkins.plugins.mesosagents.cloud;

import hudson.Extension;
import hudson.ExtensionList;
import hudson.model.Node;
import hudson.model.PeriodicWork;

import io.jenkins.plugins.mesosagents.pool.PoolState;

import jenkins.YesNoMaybe;
import jenkins.model.Jenkins;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps each template's warm pool at its target: every {@link #PERIOD} it has the {@link
 * WarmPoolBook} count each template's idle and launching agents and admit what is missing, and
 * adds those agents as Jenkins nodes (their launchers start the Mesos tasks, as for any agent).
 * The retention strategy, the queue listener and the cloud page reach the book through it.
 */
@Extension(dynamicLoadable = YesNoMaybe.YES)
public final class WarmPoolKeeper extends PeriodicWork {
    private static final Logger LOGGER = Logger.getLogger(WarmPoolKeeper.class.getName());
    static final long PERIOD = 10_000;

    private final WarmPoolBook book = new WarmPoolBook(Clock.systemDefaultZone());

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
        book.retainClouds(clouds.stream().map(c -> c.name).toList());
        List<Node> nodes = jenkins.getNodes();
        for (MesosCloud cloud : clouds) {
            for (MesosAgent agent : book.check(cloud, nodes)) {
                try {
                    jenkins.addNode(agent);
                } catch (Exception e) {
                    LOGGER.log(
                            Level.WARNING,
                            "Mesos cloud "
                                    + cloud.name
                                    + ": could not add warm agent "
                                    + agent.getNodeName()
                                    + "; releasing its task",
                            e);
                    MesosClouds.get().release(cloud.name, agent.getNodeName());
                }
            }
        }
    }

    /** A build for the template's labels entered the queue. */
    void arrived(String cloudName, String template) {
        book.arrived(cloudName, template);
    }

    /** Whether the agent's warm pool still wants it, idle as it is. */
    boolean keeps(MesosAgent agent) {
        Jenkins jenkins = Jenkins.get();
        return jenkins.clouds.getByName(agent.getCloudName()) instanceof MesosCloud cloud
                && book.keeps(cloud, agent, jenkins.getNodes());
    }

    /** The pool's last state, for the cloud page; empty when the template keeps no pool. */
    Optional<PoolState> state(String cloudName, String template) {
        return book.state(cloudName, template);
    }
}
