package io.jenkins.plugins.mesosagents.testcluster.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Runs the demo in-process on the shipped demo.yaml and cluster.json (six builds, the ship stage
 * when this machine has root, buildah and the registry) and checks its report: the counts, each
 * build's phases in order, single-use and reused agents, the too-big template failing for want of a
 * fitting offer with the engine's reason, the image digest unchanged by the promotion and the
 * failed deploy rolled back, and no task or agent process left.
 */
class DemoTest {
    @TempDir Path dir;

    @Test
    void runsTheDemoAndReportsEveryBuildAndShipStep() throws Exception {
        DemoOptions options =
                new DemoOptions(
                        6,
                        Path.of("test-cluster/demo.yaml"),
                        Path.of("test-cluster/cluster.json"),
                        false,
                        false,
                        dir.resolve("work"),
                        dir.resolve("report"));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        DemoResult result =
                new Demo(options, new PrintStream(console, true, StandardCharsets.UTF_8)).run();
        String output = console.toString(StandardCharsets.UTF_8);

        assertThat(output.lines().findFirst()).contains(Demo.FIRST_LINE);
        assertThat(result.problems()).as(output).isEmpty();
        assertThat(result.leftoverProcesses()).isEmpty();
        assertThat(result.succeeded()).isTrue();
        assertThat(output).contains("demo OK in");

        List<BuildReport> builds = result.builds();
        assertThat(builds).hasSize(6);
        List<BuildReport> ordinary = builds.stream().filter(b -> !b.expectedFailure()).toList();
        assertThat(ordinary).hasSize(5).allMatch(b -> b.result().equals("SUCCESS"));
        for (BuildReport b : ordinary) {
            List<Instant> phases =
                    List.of(b.queued(), b.launch(), b.running(), b.online(), b.done());
            assertThat(phases).as(b.id()).doesNotContainNull();
            assertThat(b.started()).isAfterOrEqualTo(b.online()).isBeforeOrEqualTo(b.done());
            if (!b.reused()) {
                assertThat(phases).as(b.id()).isSorted();
            }
            assertThat(b.output()).as(b.id()).contains("ok");
            assertThat(b.output().get(0)).startsWith(b.id() + " on ");
        }
        // single-use: every build on its own agent; "linux" (cap 2, three builds): one agent reused
        List<BuildReport> single = ordinary.stream().filter(BuildReport::singleUse).toList();
        assertThat(single).hasSize(2).noneMatch(BuildReport::reused);
        assertThat(single.stream().map(BuildReport::agent).distinct()).hasSize(2);
        List<BuildReport> linux = ordinary.stream().filter(b -> b.label().equals("linux")).toList();
        assertThat(linux).hasSize(3).anyMatch(BuildReport::reused);
        assertThat(linux).allMatch(b -> b.host().equals("agent2.local")); // docker:EQ:true

        BuildReport huge = builds.stream().filter(BuildReport::expectedFailure).findFirst().get();
        assertThat(huge.label()).isEqualTo("huge");
        assertThat(huge.result()).isEqualTo("FAILED");
        assertThat(huge.agent()).isEmpty();
        assertThat(huge.reason()).contains("found no fitting Mesos offer within PT8S");
        // the engine names the last batch's reason; when that batch held only an offer ruled out
        // for another reason (another region), its recent reasons must show the resource shortage
        assertThat(huge.reason())
                .containsAnyOf(
                        "offers have too few cpus",
                        "offers have too little memory",
                        "recent wait reasons: [" + "INSUFFICIENT_CPUS",
                        ", INSUFFICIENT_CPUS",
                        "INSUFFICIENT_MEM");
        assertThat(huge.asExpected()).isTrue();

        if (result.shipSkipped().isEmpty()) {
            assertThat(result.ship())
                    .extracting(ShipStep::name)
                    .containsExactly(
                            "buildImage",
                            "pushImage",
                            "promoteImage",
                            "marathonDeploy",
                            "marathonDeploy (failing health check)");
            assertThat(result.ship()).allMatch(ShipStep::ok);
            String pushed = result.ship().get(1).digest();
            assertThat(pushed).matches("sha256:[0-9a-f]{64}");
            assertThat(result.ship().get(2).digest()).isEqualTo(pushed);
            assertThat(result.ship().get(3).deploymentId()).isNotBlank();
            assertThat(result.ship().get(4).deploymentId()).contains("→ rollback ");
            assertThat(result.ship().get(4).detail()).startsWith("TASK_FAILURES");
        } else {
            assertThat(result.shipSkipped()).contains("lacks");
        }

        // nothing the agents ran is alive: no process still has the controller's URL
        String url = result.controllerUrl();
        assertThat(
                        ProcessHandle.allProcesses()
                                .filter(
                                        p ->
                                                p.info()
                                                        .arguments()
                                                        .map(a -> Arrays.asList(a).contains(url))
                                                        .orElse(false))
                                .map(ProcessHandle::pid))
                .isEmpty();

        Path html = dir.resolve("report/report.html");
        String page = Files.readString(html);
        assertThat(page).contains("<svg").contains("demo controller").contains("build-6");
        assertThat(page.split("<rect ", -1).length - 1).isGreaterThanOrEqualTo(6);
        JsonNode json = new ObjectMapper().readTree(dir.resolve("report/report.json").toFile());
        assertThat(json.path("builds")).hasSize(6);
        assertThat(json.path("builds").findValuesAsText("result"))
                .filteredOn(Objects::nonNull)
                .containsOnly("SUCCESS", "FAILED");
    }
}
