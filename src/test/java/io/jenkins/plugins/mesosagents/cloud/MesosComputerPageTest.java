package io.jenkins.plugins.mesosagents.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.when;

import hudson.ExtensionList;
import hudson.model.Hudson;

import io.jenkins.plugins.mesosagents.engine.EngineSnapshot;
import io.jenkins.plugins.mesosagents.engine.LaunchedAgent;
import io.jenkins.plugins.mesosagents.session.SchedulerSession;

import jenkins.model.Jenkins;

import org.junit.jupiter.api.Test;
import org.mockito.MockedStatic;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The agent page's Mesos task (MesosComputer/main.jelly, included by core's
 * Computer/index.jelly:113) reads the cloud's running session and configuration; Jenkins doubled by
 * Mockito.
 */
class MesosComputerPageTest {
    @Test
    void showsTheTaskOfTheAgentsCloud() throws Exception {
        MesosAgent agent = mock(MesosAgent.class);
        when(agent.getNodeName()).thenReturn("linux-1");
        when(agent.getCloudName()).thenReturn("mesos");
        MesosComputer computer = mock(MesosComputer.class, CALLS_REAL_METHODS);
        doReturn(agent).when(computer).getNode();

        MesosClouds clouds = mock(MesosClouds.class);
        SchedulerSession session = mock(SchedulerSession.class);
        when(clouds.existing("mesos")).thenReturn(Optional.of(session));
        when(session.running("linux-1"))
                .thenReturn(
                        CompletableFuture.completedFuture(
                                new LaunchedAgent("linux-1", "linux", "linux-1", "S7", "h7")));
        when(session.snapshot())
                .thenReturn(new EngineSnapshot("fw-9", true, false, 0, 1, 0, false, Map.of()));
        MesosCloud cloud = mock(MesosCloud.class);
        when(cloud.getMasterUrls()).thenReturn("http://m:5050");
        Jenkins jenkins = mock(Jenkins.class);
        Hudson.CloudList list = mock(Hudson.CloudList.class);
        when(list.getByName("mesos")).thenReturn(cloud);
        AgentLifecycleTest.setField(jenkins, "clouds", list);

        try (MockedStatic<ExtensionList> ext = mockStatic(ExtensionList.class);
                MockedStatic<Jenkins> statics = mockStatic(Jenkins.class)) {
            ext.when(() -> ExtensionList.lookupSingleton(MesosClouds.class)).thenReturn(clouds);
            statics.when(Jenkins::get).thenReturn(jenkins);
            MesosTaskView v = computer.getMesosTask();
            assertThat(v.host()).isEqualTo("h7");
            assertThat(v.sandboxUrl())
                    .isEqualTo(
                            "http://m:5050/#/agents/S7/frameworks/fw-9/executors/linux-1/browse");

            when(clouds.existing("mesos")).thenReturn(Optional.empty());
            assertThat(computer.getMesosTask().state()).contains("not connected");
        }
    }
}
