package io.jenkins.plugins.mesosagents.testcluster.demo;

import io.jenkins.plugins.mesosagents.engine.WaitReason;

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
}
