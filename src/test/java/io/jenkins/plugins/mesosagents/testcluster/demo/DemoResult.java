package io.jenkins.plugins.mesosagents.testcluster.demo;

import java.time.Instant;
import java.util.List;

/**
 * Everything the demo reports: its builds, the ship stage's steps (or why it was skipped), the
 * problems that make it fail (stage and reason), and task processes still alive after shutdown.
 */
record DemoResult(
        Instant started,
        Instant finished,
        String controllerUrl,
        List<BuildReport> builds,
        List<ShipStep> ship,
        String shipSkipped,
        List<String> problems,
        List<Long> leftoverProcesses) {
    DemoResult {
        builds = List.copyOf(builds);
        ship = List.copyOf(ship);
        problems = List.copyOf(problems);
        leftoverProcesses = List.copyOf(leftoverProcesses);
    }

    boolean succeeded() {
        return problems.isEmpty() && leftoverProcesses.isEmpty();
    }
}
