package io.jenkins.plugins.mesosagents.testcluster.demo;

import io.jenkins.plugins.mesosagents.engine.WaitReason;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One queued build of the demo: the label it asks for, the shell command its agent runs, and, for a
 * build that must not get an agent, the engine wait reasons its launch failure may name.
 */
record DemoBuild(String id, String label, String command, Set<WaitReason> expectedWaitReasons) {
    DemoBuild {
        expectedWaitReasons = Set.copyOf(expectedWaitReasons);
    }

    boolean expectsFailure() {
        return !expectedWaitReasons.isEmpty();
    }

    /**
     * The demo's burst: {@code count - 1} ordinary builds alternating between the labels {@code
     * linux} and {@code single}, then one for {@code huge}, which must fail for one of {@code
     * tooBig}.
     */
    static List<DemoBuild> plan(int count, Set<WaitReason> tooBig) {
        List<DemoBuild> plan = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            String label = i % 2 == 1 ? "linux" : "single";
            plan.add(
                    new DemoBuild(
                            "build-" + i,
                            label,
                            "echo \"$BUILD_TAG on $JENKINS_AGENT_NAME in ${PWD#$MESOS_SANDBOX/}\";"
                                    + " for step in compile test; do echo \"$step...\";"
                                    + " sleep 0.4; done; echo ok",
                            Set.of()));
        }
        plan.add(new DemoBuild("build-" + count, "huge", "echo never runs", tooBig));
        return plan;
    }
}
