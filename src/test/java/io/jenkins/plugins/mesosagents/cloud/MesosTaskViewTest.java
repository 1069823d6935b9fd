package io.jenkins.plugins.mesosagents.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.mesosagents.engine.LaunchedAgent;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

/**
 * What the agent's page shows of its Mesos task, from the launch future and the cloud's masters.
 */
class MesosTaskViewTest {
    @Test
    void runningTaskLinksToItsSandboxOnTheFirstHttpMaster() {
        MesosTaskView v =
                MesosTaskView.of(
                        "linux-1",
                        CompletableFuture.completedFuture(
                                new LaunchedAgent("linux-1", "linux", "linux-1", "S0", "h1")),
                        "fw-1",
                        "zk://zk1:2181/mesos http://m1:5050/ https://m2:5050");
        assertThat(v.taskId()).isEqualTo("linux-1");
        assertThat(v.host()).isEqualTo("h1");
        assertThat(v.sandboxUrl())
                .isEqualTo("http://m1:5050/#/agents/S0/frameworks/fw-1/executors/linux-1/browse");
    }

    @Test
    void launchingAndFailedTasksSaySoWithoutALink() {
        assertThat(MesosTaskView.of("a", new CompletableFuture<>(), "fw", "http://m:5050").state())
                .startsWith("launching");
        MesosTaskView failed =
                MesosTaskView.of(
                        "a",
                        CompletableFuture.failedFuture(new IllegalStateException("pull refused")),
                        "fw",
                        "http://m:5050");
        assertThat(failed.state()).isEqualTo("failed: pull refused");
        assertThat(failed.sandboxUrl()).isNull();
        assertThat(MesosTaskView.sandbox("zk://zk:2181/mesos", "S0", "fw", "t")).isNull();
    }
}
