package io.jenkins.plugins.mesosagents.cloud;

import hudson.slaves.AbstractCloudComputer;

/**
 * The live side of a {@link MesosAgent}: its executors and channel while the inbound agent is
 * connected.
 */
public class MesosComputer extends AbstractCloudComputer<MesosAgent> {
    private volatile boolean draining;

    public MesosComputer(MesosAgent agent) {
        super(agent);
    }

    /**
     * Its host is going into maintenance: take no new builds; the retention strategy releases it
     * once idle.
     */
    void drain() {
        draining = true;
        setAcceptingTasks(false);
    }

    boolean isDraining() {
        return draining;
    }
}
