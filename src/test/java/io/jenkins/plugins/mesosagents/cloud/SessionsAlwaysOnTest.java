package io.jenkins.plugins.mesosagents.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import hudson.ExtensionList;
import hudson.model.Hudson;
import hudson.model.TaskListener;

import io.jenkins.plugins.mesosagents.engine.LaunchedAgent;
import io.jenkins.plugins.mesosagents.session.SchedulerSession;

import jenkins.model.Jenkins;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;
import org.mockito.MockedStatic;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Sessions run for every configured cloud from Jenkins start-up on, so a restart re-attaches
 * persisted agents instead of removing them, releases always reach the engine, and renamed or
 * deleted clouds neither lose nor leak their tasks. Jenkins is doubled by Mockito, following core's
 * call sequences at jenkins-2.479.3 (cited per test).
 */
class SessionsAlwaysOnTest {
    private final List<MesosCloud> startedFor = new ArrayList<>();
    private final List<SchedulerSession> started = new ArrayList<>();
    private final MesosClouds.CloudState state = mock(MesosClouds.CloudState.class);
    private final MesosClouds registry =
            new MesosClouds(
                    cloud -> {
                        startedFor.add(cloud);
                        SchedulerSession session = mock(SchedulerSession.class);
                        when(session.teardown())
                                .thenReturn(CompletableFuture.completedFuture(null));
                        started.add(session);
                        return session;
                    },
                    state);
    private MockedStatic<ExtensionList> extensions;
    private MockedStatic<Background> background;

    @BeforeEach
    void registry() {
        extensions = mockStatic(ExtensionList.class);
        extensions
                .when(() -> ExtensionList.lookupSingleton(MesosClouds.class))
                .thenReturn(registry);
        background = mockStatic(Background.class);
        background
                .when(() -> Background.run(any()))
                .thenAnswer(
                        call -> {
                            ((Runnable) call.getArgument(0)).run();
                            return null;
                        });
    }

    @AfterEach
    void close() {
        extensions.close();
        background.close();
    }

    private static MesosCloud cloud(String name, String fingerprint) {
        MesosCloud cloud = mock(MesosCloud.class);
        cloud.name = name;
        when(cloud.connectionFingerprint()).thenReturn(fingerprint);
        when(cloud.agentTemplates()).thenReturn(List.of());
        return cloud;
    }

    private static Jenkins jenkinsWith(MesosCloud... clouds) {
        Jenkins jenkins = mock(Jenkins.class);
        Hudson.CloudList list = mock(Hudson.CloudList.class);
        when(list.getAll(MesosCloud.class)).thenReturn(List.of(clouds));
        AgentLifecycleTest.setField(jenkins, "clouds", list);
        return jenkins;
    }

    @Test
    void everyConfiguredCloudConnectsAtStartUpWithoutWaitingForDemand() {
        MesosCloud a = cloud("a", "fa");
        MesosCloud b = cloud("b", "fb");
        Jenkins jenkins = jenkinsWith(a, b);
        try (MockedStatic<Jenkins> statics = mockStatic(Jenkins.class)) {
            statics.when(Jenkins::get).thenReturn(jenkins);
            // @Initializer(after = SYSTEM_CONFIG_ADAPTED): clouds and nodes are loaded by then
            // (Jenkins.java:3525-3536), core launches persisted computers only afterwards
            MesosClouds.startSessions();
        }
        assertThat(startedFor).containsExactly(a, b);
        assertThat(registry.cloudNames()).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void jenkinsFindsTheStartUpHookThroughTheAnnotationIndex() throws Exception {
        // annotation-indexer's Index.list reads META-INF/services/annotations/<annotation> and
        // scans each listed class for annotated methods (what its processor would have written)
        String index;
        try (var in =
                getClass()
                        .getClassLoader()
                        .getResourceAsStream(
                                "META-INF/services/annotations/hudson.init.Initializer")) {
            assertThat(in).isNotNull();
            index = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(index.lines()).containsExactly(MesosClouds.class.getName());
        var hook = MesosClouds.class.getMethod("startSessions");
        assertThat(java.lang.reflect.Modifier.isStatic(hook.getModifiers())).isTrue();
        assertThat(hook.getAnnotation(hudson.init.Initializer.class).after())
                .isEqualTo(hudson.init.InitMilestone.SYSTEM_CONFIG_ADAPTED);
        assertThat(hook.getAnnotation(hudson.init.Initializer.class).fatal()).isFalse();
    }

    @Test
    void savingTheConfigurationStartsANewCloudAndUpdatesTemplatesAtOnce() {
        MesosCloud a = cloud("a", "fa");
        registry.sync(List.of(a));
        MesosCloud savedA = cloud("a", "fa");
        MesosCloud added = cloud("added", "fx");
        Jenkins jenkins = jenkinsWith(savedA, added);
        // Jenkins.save() fires SaveableListener.onChange(Jenkins, config.xml)
        // (Jenkins.java:3660); Cloud.doConfigSubmit saves through it (Cloud.java:337-338)
        new MesosClouds.OnSave().onChange(jenkins, null);
        assertThat(startedFor).containsExactly(a, added);
        verify(started.get(0)).updateTemplates(List.of());
        new MesosClouds.OnSave().onChange(mock(hudson.model.Saveable.class), null);
        assertThat(startedFor).hasSize(2);
    }

    @Test
    void releasingAnAgentRightAfterARestartStartsItsCloudsSessionAndQueuesTheKill() {
        MesosCloud cloud = cloud("mesos", "f");
        when(state.configured("mesos")).thenReturn(cloud);

        registry.release("mesos", "mesos-linux-1");

        assertThat(startedFor).containsExactly(cloud);
        // the engine keeps the kill until it is subscribed (EngineCore.subscribed re-sends it)
        verify(started.get(0)).release("mesos-linux-1");
    }

    @Test
    void aLaunchedAgentIsNotLaunchedAgainAfterARestartAndKeepsItsNode() throws Exception {
        // on load core calls retention start -> connect -> launcher.launch for persisted agents:
        // AbstractCIBase.java:192, CloudRetentionStrategy.java:74-75, SlaveComputer.java:278-297
        MesosAgent agent = mock(MesosAgent.class);
        when(agent.getNodeName()).thenReturn("mesos-linux-1");
        when(agent.getCloudName()).thenReturn("mesos");
        MesosComputer computer = mock(MesosComputer.class, CALLS_REAL_METHODS);
        org.mockito.Mockito.doReturn(agent).when(computer).getNode();
        MesosLauncher launcher = AgentLifecycleTest.launched(agent);
        TaskListener listener = mock(TaskListener.class);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        when(listener.getLogger()).thenReturn(new PrintStream(log, true, StandardCharsets.UTF_8));
        MesosClouds clouds = mock(MesosClouds.class);
        extensions.when(() -> ExtensionList.lookupSingleton(MesosClouds.class)).thenReturn(clouds);

        launcher.launch(computer, listener);

        verifyNoInteractions(clouds);
        verify(agent, never()).terminate();
        assertThat(log.toString(StandardCharsets.UTF_8))
                .contains("waiting for its agent to reconnect");
    }

    @Test
    void anAgentPlannedBeforeARestartAsksItsCloudsSessionWhichStartsOnDemand() throws Exception {
        MesosCloud cloud = cloud("mesos", "f");
        when(state.configured("mesos")).thenReturn(cloud);
        CompletableFuture<LaunchedAgent> running = new CompletableFuture<>();
        registry.nodeReady("mesos", "mesos-linux-1");
        when(started.get(0).running("mesos-linux-1")).thenReturn(running);

        assertThat(registry.running("mesos", "mesos-linux-1")).isSameAs(running);
        assertThat(startedFor).containsExactly(cloud);
        InOrder order = inOrder(started.get(0));
        order.verify(started.get(0)).nodeReady("mesos-linux-1");
        order.verify(started.get(0)).running("mesos-linux-1");
    }

    @Test
    void aRenamedCloudKeepsItsFrameworkTasksAndAgents() {
        MesosCloud old = cloud("old", "same-connection");
        registry.sync(List.of(old));
        SchedulerSession first = started.get(0);

        MesosCloud renamed = cloud("new", "same-connection");
        registry.sync(List.of(renamed));

        InOrder order = inOrder(first, state);
        order.verify(first).close(); // writes the engine state before its file moves
        order.verify(state).moveState("old", "new");
        order.verify(state).moveAgents("old", "new");
        verify(first, never()).teardown();
        verify(state, never()).deleteState(any());
        assertThat(startedFor).containsExactly(old, renamed);
        assertThat(registry.cloudNames()).containsExactly("new");
    }

    @Test
    void aDeletedCloudTearsItsFrameworkDownAndRemovesItsAgentsOnceMesosTookIt() {
        MesosCloud kept = cloud("kept", "f1");
        MesosCloud deleted = cloud("deleted", "f2");
        registry.sync(List.of(kept, deleted));
        SchedulerSession doomed = started.get(1);
        CompletableFuture<Void> teardown = new CompletableFuture<>();
        when(doomed.teardown()).thenReturn(teardown);

        registry.sync(List.of(kept));
        verify(doomed).teardown();
        verify(state, never()).deleteState(any());
        registry.sync(List.of(kept)); // a minute later, still waiting: no second TEARDOWN
        verify(doomed).teardown();

        teardown.complete(null);
        verify(state).deleteState("deleted");
        verify(state).removeAgents("deleted");
        assertThat(registry.cloudNames()).containsExactly("kept");
        verify(started.get(0), never()).teardown();
    }

    @Test
    void aTeardownThatFailsIsTriedAgainAndNothingIsForgotten() {
        MesosCloud deleted = cloud("deleted", "f2");
        registry.sync(List.of(deleted));
        SchedulerSession doomed = started.get(0);
        when(doomed.teardown())
                .thenReturn(
                        CompletableFuture.failedFuture(new IllegalStateException("not subscribed")))
                .thenReturn(CompletableFuture.completedFuture(null));

        registry.sync(List.of());
        assertThat(registry.cloudNames()).containsExactly("deleted");
        verify(state, never()).deleteState(any());
        registry.sync(List.of());
        assertThat(registry.cloudNames()).isEmpty();
        verify(state).deleteState("deleted");
    }

    @Test
    void aCloudThatCannotStartIsLoggedAndTriedAgain() {
        MesosCloud broken = cloud("broken", "f");
        Iterator<? extends RuntimeException> failures =
                List.of(new IllegalStateException("needs the Jenkins URL")).iterator();
        MesosClouds flaky =
                new MesosClouds(
                        cloud -> {
                            if (failures.hasNext()) {
                                throw failures.next();
                            }
                            return mock(SchedulerSession.class);
                        },
                        state);
        flaky.sync(List.of(broken));
        assertThat(flaky.cloudNames()).isEmpty();
        flaky.sync(List.of(broken));
        assertThat(flaky.cloudNames()).containsExactly("broken");
    }
}
