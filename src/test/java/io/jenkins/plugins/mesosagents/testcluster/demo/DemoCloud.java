package io.jenkins.plugins.mesosagents.testcluster.demo;

import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.Constraint;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The cloud the demo runs: connection settings, caps and templates, as read from {@code
 * test-cluster/demo.yaml}.
 */
record DemoCloud(
        String name,
        String masterUrls,
        String jenkinsUrl,
        String frameworkName,
        int failoverTimeoutHours,
        int maxAgents,
        double maxCpus,
        double maxMemMb,
        List<AgentTemplate> templates) {

    DemoCloud {
        templates = List.copyOf(templates);
    }

    /** Reads the YAML, with {@code ${VAR}}s taken from {@code variables}. */
    static DemoCloud load(Path yaml, Map<String, String> variables) {
        // TODO(lead): replaced by the shared JCasC reader from wip/doctor before this is merged
        return new DemoCloud(
                "demo",
                variables.get("MESOS_MASTER"),
                variables.get("DEMO_CONTROLLER_URL"),
                "jenkins-demo",
                1,
                10,
                0,
                0,
                List.of(
                        AgentTemplate.builder("linux")
                                .labelExpression("linux")
                                .cpus(0.5)
                                .memMb(256)
                                .jvmOptions("-XX:TieredStopAtLevel=1 -Xshare:auto")
                                .constraint(Constraint.of("docker", Constraint.Operator.EQ, "true"))
                                .instanceCap(2)
                                .idleTerminationMinutes(5)
                                .build(),
                        AgentTemplate.builder("single")
                                .labelExpression("single")
                                .cpus(0.5)
                                .memMb(256)
                                .jvmOptions("-XX:TieredStopAtLevel=1 -Xshare:auto")
                                .singleUse(true)
                                .build(),
                        AgentTemplate.builder("huge")
                                .labelExpression("huge")
                                .cpus(64)
                                .memMb(262144)
                                .launchTimeout(Duration.ofSeconds(8))
                                .build()));
    }
}
