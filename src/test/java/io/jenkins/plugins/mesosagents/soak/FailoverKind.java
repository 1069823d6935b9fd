package io.jenkins.plugins.mesosagents.soak;

import io.jenkins.plugins.mesosagents.testcluster.mesos.MesosSimulator;

/**
 * One way the leading Mesos master goes away during a soak. The soak picks a kind per failover
 * from its list, so another kind (e.g. a master that forgets the framework's tasks) plugs in
 * without changing the soak: give {@link SoakSettings#failoverKinds} one more element.
 */
public interface FailoverKind {
    /** Short name for the report. */
    String name();

    /** Makes another master lead; returns once the simulator has a new leader. */
    void failover(MesosSimulator sim) throws Exception;

    /**
     * The leader's ZooKeeper session ends and the next master is elected (MesosSimulator's {@code
     * failoverLeader}): connections drop, offers vanish, tasks keep running. The scheduler learns
     * the new leader from ZooKeeper ({@code zk://} setting) or from the old leader's 307 redirect
     * (a list of master URLs), whichever the session was started with.
     */
    FailoverKind LEADER_DIES =
            new FailoverKind() {
                @Override
                public String name() {
                    return "leader-dies";
                }

                @Override
                public void failover(MesosSimulator sim) {
                    sim.failoverLeader();
                }
            };
}
