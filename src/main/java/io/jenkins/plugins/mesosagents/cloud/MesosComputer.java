package io.jenkins.plugins.mesosagents.cloud;

import hudson.slaves.AbstractCloudComputer;

import java.time.Instant;

/**
 * The live side of a {@link MesosAgent}: its executors and channel while the inbound agent is
 * connected. Whether it takes work is decided in one place, {@link
 * MesosRetentionStrategy#isAcceptingTasks}, from the flags kept here and in the launcher.
 */
public class MesosComputer extends AbstractCloudComputer<MesosAgent> {
    private volatile boolean draining;
    private volatile long onlineSinceMillis;

    /** When Mesos says its task ended (for accounting a build still on it); null while it runs. */
    private volatile Instant taskEndedAt;

    public MesosComputer(MesosAgent agent) {
        super(agent);
    }

    /**
     * Its host is going into maintenance: take no new builds; the retention strategy releases it
     * once idle.
     */
    void drain() {
        draining = true;
    }

    boolean isDraining() {
        return draining;
    }

    /** The launcher saw the agent connect: idle time counts from here, not from connect(). */
    void markOnline(long nowMillis) {
        onlineSinceMillis = nowMillis;
    }

    long onlineSinceMillis() {
        return onlineSinceMillis;
    }

    void taskEnded(Instant at) {
        taskEndedAt = at;
    }

    Instant taskEndedAt() {
        return taskEndedAt;
    }

    /** For the agent's page (main.jelly): its Mesos task id, host, state and sandbox link. */
    public MesosTaskView getMesosTask() {
        MesosAgent agent = getNode();
        if (agent == null) {
            return null;
        }
        MesosClouds clouds = MesosClouds.get();
        return clouds.existing(agent.getCloudName())
                .map(
                        session ->
                                MesosTaskView.of(
                                        agent.getNodeName(),
                                        session.running(agent.getNodeName()),
                                        session.snapshot().frameworkId(),
                                        masterUrlsOf(agent.getCloudName())))
                .orElse(
                        new MesosTaskView(
                                agent.getNodeName(),
                                null,
                                "unknown: cloud " + agent.getCloudName() + " is not connected",
                                null));
    }

    private static String masterUrlsOf(String cloudName) {
        hudson.slaves.Cloud cloud = jenkins.model.Jenkins.get().clouds.getByName(cloudName);
        return cloud instanceof MesosCloud mesos ? mesos.getMasterUrls() : null;
    }
}
