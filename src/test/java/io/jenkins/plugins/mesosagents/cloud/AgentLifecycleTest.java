package io.jenkins.plugins.mesosagents.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import hudson.ExtensionList;
import hudson.model.Executor;
import hudson.model.Hudson;
import hudson.model.Node;
import hudson.model.Queue;
import hudson.model.TaskListener;

import io.jenkins.plugins.mesosagents.engine.LaunchFailedException;
import io.jenkins.plugins.mesosagents.engine.LaunchedAgent;

import jenkins.model.Jenkins;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.MockedStatic;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Launch, retention and loss of a Mesos agent node, with Jenkins doubled by Mockito and background
 * work inline.
 */
class AgentLifecycleTest {
    private final MesosClouds clouds = mock(MesosClouds.class);
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final TaskListener listener = mock(TaskListener.class);
    private MockedStatic<ExtensionList> extensions;
    private MockedStatic<Background> background;
    private MesosAgent agent;
    private MesosComputer computer;

    @BeforeEach
    void agent() {
        extensions = mockStatic(ExtensionList.class);
        extensions.when(() -> ExtensionList.lookupSingleton(MesosClouds.class)).thenReturn(clouds);
        background = mockStatic(Background.class);
        background
                .when(() -> Background.run(any()))
                .thenAnswer(
                        call -> {
                            ((Runnable) call.getArgument(0)).run();
                            return null;
                        });
        when(listener.getLogger()).thenReturn(new PrintStream(log, true, StandardCharsets.UTF_8));
        agent = mock(MesosAgent.class);
        when(agent.getNodeName()).thenReturn("mesos-linux-1");
        when(agent.getCloudName()).thenReturn("mesos");
        when(agent.getTemplateName()).thenReturn("linux");
        computer = mock(MesosComputer.class, CALLS_REAL_METHODS);
        org.mockito.Mockito.doReturn(agent).when(computer).getNode();
        org.mockito.Mockito.doNothing()
                .when(computer)
                .setAcceptingTasks(org.mockito.ArgumentMatchers.anyBoolean());
    }

    @AfterEach
    void close() {
        extensions.close();
        background.close();
    }

    /**
     * The strategy without CloudRetentionStrategy's constructor, which only the real Jenkins has.
     */
    private static MesosRetentionStrategy strategy(int idleMinutes, boolean singleUse)
            throws Exception {
        MesosRetentionStrategy strategy = mock(MesosRetentionStrategy.class, CALLS_REAL_METHODS);
        java.lang.reflect.Field idle = MesosRetentionStrategy.class.getDeclaredField("idleMinutes");
        idle.setAccessible(true);
        idle.set(strategy, idleMinutes);
        java.lang.reflect.Field once = MesosRetentionStrategy.class.getDeclaredField("singleUse");
        once.setAccessible(true);
        once.set(strategy, singleUse);
        return strategy;
    }

    /** Launches with no cloud configured (the template's launch timeout is the default). */
    private void launchWithoutJenkins(MesosLauncher launcher) {
        try (MockedStatic<Jenkins> statics = mockStatic(Jenkins.class)) {
            statics.when(Jenkins::getInstanceOrNull).thenReturn(null);
            launcher.launch(computer, listener);
        }
    }

    /** The agent's launcher saw it online (what retention keys off). */
    static MesosLauncher launched(MesosAgent agent) throws Exception {
        MesosLauncher launcher = mock(MesosLauncher.class, CALLS_REAL_METHODS);
        java.lang.reflect.Field launched = MesosLauncher.class.getDeclaredField("launched");
        launched.setAccessible(true);
        launched.set(launcher, true);
        org.mockito.Mockito.doReturn(launcher).when(agent).getLauncher();
        return launcher;
    }

    private String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    @Test
    void launcherWaitsForTheTaskAndTheConnectionThenAcceptsWork() throws Exception {
        when(clouds.running("mesos", "mesos-linux-1"))
                .thenReturn(
                        CompletableFuture.completedFuture(
                                new LaunchedAgent(
                                        "mesos-linux-1", "linux", "task-1", "agent-1", "host-7")));
        org.mockito.Mockito.doReturn(true).when(computer).isOnline();
        MesosLauncher launcher = mock(MesosLauncher.class, CALLS_REAL_METHODS);

        assertThat(launcher.isLaunchSupported()).isTrue();
        launchWithoutJenkins(launcher);

        // the task is let out only now that the node exists, and the engine hears the agent came
        var order = org.mockito.Mockito.inOrder(clouds);
        order.verify(clouds).nodeReady("mesos", "mesos-linux-1");
        order.verify(clouds).running("mesos", "mesos-linux-1");
        order.verify(clouds).agentConnected("mesos", "mesos-linux-1");
        // taking work is the retention strategy's call, never the launcher's
        verify(computer, never()).setAcceptingTasks(org.mockito.ArgumentMatchers.anyBoolean());
        verify(agent).save();
        verify(agent, never()).terminate();
        assertThat(log()).contains("task-1 is running on host-7").contains("is online");
        assertThat(launcher.isLaunchSupported())
                .as("a launched agent reconnects by itself after a restart")
                .isFalse();
    }

    @Test
    void launcherTerminatesTheNodeWithTheEnginesReasonWhenTheTaskWillNotRun() throws Exception {
        when(clouds.running("mesos", "mesos-linux-1"))
                .thenReturn(
                        CompletableFuture.failedFuture(
                                new LaunchFailedException(
                                        LaunchFailedException.Cause.LAUNCH_TIMEOUT,
                                        "no offer with 2 cpus within 5 minutes (best offered:"
                                                + " 1.5)")));
        MesosLauncher launcher = mock(MesosLauncher.class, CALLS_REAL_METHODS);

        launchWithoutJenkins(launcher);

        verify(agent).terminate();
        verify(clouds, never()).agentConnected(any(), any());
        assertThat(log())
                .contains(
                        "Launching mesos-linux-1 failed: no offer with 2 cpus within 5 minutes"
                                + " (best offered: 1.5)");
    }

    @Test
    void singleUseAgentStopsAcceptingWorkWhenItsBuildStartsAndIsReleasedAfterIt() throws Exception {
        MesosRetentionStrategy strategy = strategy(5, true);
        Executor executor = mock(Executor.class);
        when(executor.getOwner()).thenReturn(computer);

        launched(agent);
        assertThat(strategy.isAcceptingTasks(computer)).isTrue();
        strategy.taskAccepted(executor, mock(Queue.Task.class));
        assertThat(strategy.isAcceptingTasks(computer)).isFalse();
        verify(agent, never()).terminate();

        strategy.taskCompleted(executor, mock(Queue.Task.class), 1000);
        verify(agent).terminate();
    }

    @Test
    void reusableAgentKeepsAcceptingWork() throws Exception {
        MesosRetentionStrategy strategy = strategy(5, false);
        Executor executor = mock(Executor.class);
        when(executor.getOwner()).thenReturn(computer);
        launched(agent);
        strategy.taskAccepted(executor, mock(Queue.Task.class));
        strategy.taskCompletedWithProblems(
                executor, mock(Queue.Task.class), 1000, new RuntimeException("build failed"));
        assertThat(strategy.isAcceptingTasks(computer)).isTrue();
        verify(agent, never()).terminate();
    }

    @Test
    void drainingAgentIsReleasedOnceIdle() throws Exception {
        MesosRetentionStrategy strategy = strategy(10, false);
        launched(agent);
        org.mockito.Mockito.doReturn(false).when(computer).isOffline();
        org.mockito.Mockito.doReturn(System.currentTimeMillis())
                .when(computer)
                .getIdleStartMilliseconds();
        computer.drain();
        assertThat(strategy.isAcceptingTasks(computer)).isFalse();

        org.mockito.Mockito.doReturn(false).when(computer).isIdle();
        strategy.check(computer);
        verify(agent, never()).terminate();

        org.mockito.Mockito.doReturn(true).when(computer).isIdle();
        strategy.check(computer);
        verify(agent).terminate();
    }

    @Test
    void engineReportsLostAndDrainingAgentsOfThisCloudOnly() throws Exception {
        Jenkins jenkins = mock(Jenkins.class);
        MesosAgent other = mock(MesosAgent.class);
        when(other.getCloudName()).thenReturn("other-cloud");
        when(other.getNodeName()).thenReturn("mesos-other-1");
        when(jenkins.getNodes()).thenReturn(List.of(agent, other, mock(Node.class)));
        when(jenkins.getNode("mesos-linux-1")).thenReturn(agent);
        when(jenkins.getComputer("mesos-linux-1")).thenReturn(computer);
        try (MockedStatic<Jenkins> statics = mockStatic(Jenkins.class)) {
            statics.when(Jenkins::get).thenReturn(jenkins);
            JenkinsNodes nodes = new JenkinsNodes("mesos");

            assertThat(nodes.agentNames()).containsExactly("mesos-linux-1");

            nodes.agentDraining("mesos-linux-1", Instant.parse("2026-11-22T10:00:00Z"));
            assertThat(computer.isDraining()).isTrue();

            nodes.agentLost("mesos-linux-1", "TASK_LOST: agent host-7 removed");
            verify(agent).terminate();
            nodes.agentLost("not-a-mesos-agent", "whatever");
        }
    }

    @Test
    void aTaskMesosWillNotKillIsNotedInTheAgentsLog() {
        Jenkins jenkins = mock(Jenkins.class);
        MesosComputer withLog = mock(MesosComputer.class);
        TaskListener listener = mock(TaskListener.class);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        when(listener.getLogger()).thenReturn(new PrintStream(log, true, StandardCharsets.UTF_8));
        when(withLog.getListener()).thenReturn(listener);
        when(jenkins.getComputer("mesos-linux-1")).thenReturn(withLog);
        try (MockedStatic<Jenkins> statics = mockStatic(Jenkins.class)) {
            statics.when(Jenkins::get).thenReturn(jenkins);
            JenkinsNodes nodes = new JenkinsNodes("mesos");
            nodes.agentNote(
                    "mesos-linux-1", "Mesos task mesos-linux-1 cannot be killed: KILL refused");
            nodes.agentNote("gone-already", "nobody to tell"); // no computer: nothing happens
        }
        assertThat(log.toString(StandardCharsets.UTF_8))
                .isEqualTo("Mesos task mesos-linux-1 cannot be killed: KILL refused\n");
    }

    @Test
    void sessionsAreReusedUntilTheConnectionSettingsChange() {
        io.jenkins.plugins.mesosagents.session.SchedulerSession first =
                mock(io.jenkins.plugins.mesosagents.session.SchedulerSession.class);
        io.jenkins.plugins.mesosagents.session.SchedulerSession second =
                mock(io.jenkins.plugins.mesosagents.session.SchedulerSession.class);
        java.util.Iterator<io.jenkins.plugins.mesosagents.session.SchedulerSession> started =
                List.of(first, second).iterator();
        MesosClouds.CloudState state = mock(MesosClouds.CloudState.class);
        MesosClouds registry = new MesosClouds(c -> started.next(), state);
        MesosCloud cloud = mock(MesosCloud.class);
        cloud.name = "mesos";
        when(cloud.connectionFingerprint()).thenReturn("a", "a", "b");
        when(cloud.agentTemplates()).thenReturn(List.of());

        assertThat(registry.sessionFor(cloud)).isSameAs(first);
        assertThat(registry.sessionFor(cloud)).isSameAs(first);
        // the same cloud object again: its templates are already in the session
        verify(first, never()).updateTemplates(any());
        MesosCloud saved = mock(MesosCloud.class);
        saved.name = "mesos";
        when(saved.connectionFingerprint()).thenReturn("a");
        when(saved.agentTemplates()).thenReturn(List.of());
        // the form was saved (a new object) with the same connection: templates update in place
        assertThat(registry.sessionFor(saved)).isSameAs(first);
        verify(first).updateTemplates(List.of());
        assertThat(registry.sessionFor(cloud)).isSameAs(second);
        verify(first).close();
        verify(second, never()).close();

        assertThat(registry.cloudNames()).containsExactly("mesos");
        registry.release("mesos", "mesos-linux-1");
        verify(second).release("mesos-linux-1");
        assertThat(registry.running("gone", "x")).isCompletedExceptionally();
        registry.forget("mesos");
        verify(second).close();
        assertThat(registry.cloudNames()).isEmpty();
    }

    @Test
    void sessionsOfDeletedCloudsAreClosed() {
        io.jenkins.plugins.mesosagents.session.SchedulerSession kept =
                mock(io.jenkins.plugins.mesosagents.session.SchedulerSession.class);
        io.jenkins.plugins.mesosagents.session.SchedulerSession gone =
                mock(io.jenkins.plugins.mesosagents.session.SchedulerSession.class);
        java.util.Iterator<io.jenkins.plugins.mesosagents.session.SchedulerSession> started =
                List.of(kept, gone).iterator();
        MesosClouds registry = new MesosClouds(c -> started.next());
        MesosCloud current = mock(MesosCloud.class);
        current.name = "current";
        MesosCloud deleted = mock(MesosCloud.class);
        deleted.name = "deleted";
        registry.sessionFor(current);
        registry.sessionFor(deleted);
        extensions
                .when(() -> ExtensionList.lookupSingleton(MesosClouds.class))
                .thenReturn(registry);
        Jenkins jenkins = mock(Jenkins.class);
        when(jenkins.getCloud("current")).thenReturn(current);
        when(gone.teardown()).thenReturn(CompletableFuture.completedFuture(null));
        Hudson.CloudList configured = mock(Hudson.CloudList.class);
        when(configured.getAll(MesosCloud.class)).thenReturn(List.of(current));
        setField(jenkins, "clouds", configured);
        try (MockedStatic<Jenkins> statics = mockStatic(Jenkins.class)) {
            statics.when(Jenkins::get).thenReturn(jenkins);
            mock(RemovedCloudSessions.class, CALLS_REAL_METHODS).doRun();
        }
        verify(gone).teardown();
        verify(kept, never()).close();
        verify(kept, never()).teardown();
        assertThat(registry.cloudNames()).containsExactly("current");
    }

    static void setField(Object target, String name, Object value) {
        try {
            java.lang.reflect.Field f = null;
            for (Class<?> c = target.getClass(); f == null; c = c.getSuperclass()) {
                f =
                        java.util.Arrays.stream(c.getDeclaredFields())
                                .filter(field -> field.getName().equals(name))
                                .findFirst()
                                .orElse(null);
            }
            java.lang.reflect.Field u = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            u.setAccessible(true);
            sun.misc.Unsafe unsafe = (sun.misc.Unsafe) u.get(null);
            unsafe.putObject(target, unsafe.objectFieldOffset(f), value);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
