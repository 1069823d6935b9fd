package io.jenkins.plugins.mesosagents.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import hudson.ExtensionList;
import hudson.model.Executor;
import hudson.model.OneOffExecutor;
import hudson.model.Queue;

import io.jenkins.plugins.mesosagents.engine.LaunchedAgent;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.MockedStatic;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * The retention strategy against the timing rules of core's (jenkins-2.479.3):
 * CloudRetentionStrategy reaps a computer when {@code c.isIdle()} and {@code now -
 * c.getIdleStartMilliseconds() > idleMinutes} (CloudRetentionStrategy.java:54-57); {@code
 * Computer.isIdle()} only looks at the executors, so it is true for an offline computer
 * (Computer.java:1028-1035); an idle executor's idle start is {@code max(creationTime,
 * owner.getConnectTime())} (Executor.java:939-944), and connectTime is set when {@code connect()}
 * starts the launch (Computer.java:449-450). Core calls {@code check} every minute with the queue
 * lock held and the ExecutorListener methods on executor threads (SlaveComputer.java:331-375).
 * Builds of flyweight tasks run on a OneOffExecutor, which keeps Computer.isIdle() false
 * (Computer.java:1029-1030).
 */
class AgentRetentionTest {
    private static final long MINUTE = 60_000;
    private MockedStatic<Background> background;
    private MockedStatic<ExtensionList> extensions;
    private final MesosClouds clouds = mock(MesosClouds.class);
    private MesosAgent agent;
    private MesosComputer computer;

    @BeforeEach
    void agent() {
        background = mockStatic(Background.class);
        background
                .when(() -> Background.run(any()))
                .thenAnswer(
                        call -> {
                            ((Runnable) call.getArgument(0)).run();
                            return null;
                        });
        extensions = mockStatic(ExtensionList.class);
        extensions.when(() -> ExtensionList.lookupSingleton(MesosClouds.class)).thenReturn(clouds);
        agent = mock(MesosAgent.class);
        when(agent.getNodeName()).thenReturn("mesos-linux-1");
        when(agent.getCloudName()).thenReturn("mesos");
        when(agent.getTemplateName()).thenReturn("linux");
        computer = mock(MesosComputer.class, CALLS_REAL_METHODS);
        doReturn(agent).when(computer).getNode();
    }

    @AfterEach
    void close() {
        background.close();
        extensions.close();
    }

    private static MesosRetentionStrategy strategy(int idleMinutes, boolean singleUse)
            throws Exception {
        MesosRetentionStrategy strategy = mock(MesosRetentionStrategy.class, CALLS_REAL_METHODS);
        set(strategy, "idleMinutes", idleMinutes);
        set(strategy, "singleUse", singleUse);
        return strategy;
    }

    private static void set(Object target, String field, Object value) throws Exception {
        java.lang.reflect.Field f = MesosRetentionStrategy.class.getDeclaredField(field);
        f.setAccessible(true);
        f.set(target, value);
    }

    /** What core's computer reports: online or not, idle or not, idle since when. */
    private void computer(boolean online, boolean idle, long idleStartMillis) {
        doReturn(!online).when(computer).isOffline();
        doReturn(online).when(computer).isOnline();
        doReturn(idle).when(computer).isIdle();
        doReturn(idleStartMillis).when(computer).getIdleStartMilliseconds();
    }

    private static Executor executorOf(MesosComputer owner) {
        Executor executor = mock(Executor.class);
        when(executor.getOwner()).thenReturn(owner);
        return executor;
    }

    @Test
    void aLaunchingAgentIsNeverReapedAsIdleHoweverLongItsLaunchTakes() throws Exception {
        MesosRetentionStrategy strategy = strategy(3, false);
        MesosLauncher launcher = mock(MesosLauncher.class, CALLS_REAL_METHODS);
        doReturn(launcher).when(agent).getLauncher();
        // offline, "idle", and idle since connect() began the launch 9 minutes ago
        computer(false, true, System.currentTimeMillis() - 9 * MINUTE);

        strategy.check(computer);

        verify(agent, never()).terminate();
        assertThat(strategy.isAcceptingTasks(computer)).as("still launching").isFalse();
    }

    @Test
    void idleTimeCountsFromWhenTheAgentCameOnlineNotFromConnect() throws Exception {
        MesosRetentionStrategy strategy = strategy(3, false);
        AgentLifecycleTest.launched(agent);
        long now = System.currentTimeMillis();
        computer(true, true, now - 9 * MINUTE); // connect() was 9 minutes ago
        computer.markOnline(now - MINUTE); // online for a minute only

        strategy.check(computer);
        verify(agent, never()).terminate();

        computer.markOnline(now - 4 * MINUTE);
        strategy.check(computer);
        verify(agent).terminate();
    }

    @Test
    void aReusableAgentIsKeptWhileBusyAndReleasedAfterItsIdleMinutes() throws Exception {
        MesosRetentionStrategy strategy = strategy(3, false);
        AgentLifecycleTest.launched(agent);
        computer(true, false, System.currentTimeMillis() + MINUTE);
        strategy.check(computer);
        computer(true, true, System.currentTimeMillis() - 2 * MINUTE);
        strategy.check(computer);
        verify(agent, never()).terminate();
        assertThat(strategy.isAcceptingTasks(computer)).isTrue();

        computer(true, true, System.currentTimeMillis() - 4 * MINUTE);
        strategy.check(computer);
        verify(agent).terminate();
        assertThat(strategy.isAcceptingTasks(computer))
                .as("nothing lands on it while it is being terminated")
                .isFalse();
    }

    @Test
    void anIdleAgentItsWarmPoolStillWantsIsKeptPastItsIdleMinutesButNotPastADrain()
            throws Exception {
        WarmPoolKeeper keeper = mock(WarmPoolKeeper.class);
        extensions.when(() -> ExtensionList.lookupSingleton(WarmPoolKeeper.class)).thenReturn(keeper);
        when(keeper.keeps(agent)).thenReturn(true);
        MesosRetentionStrategy strategy = strategy(3, false);
        AgentLifecycleTest.launched(agent);
        computer(true, true, System.currentTimeMillis() - 10 * MINUTE);
        strategy.check(computer);
        verify(agent, never()).terminate();

        computer.drain();
        strategy.check(computer);
        verify(agent).terminate();
    }

    @Test
    void aWarmSingleUseAgentWithoutABuildIsKeptWhileWantedAndReleasedOnceNot() throws Exception {
        WarmPoolKeeper keeper = mock(WarmPoolKeeper.class);
        extensions.when(() -> ExtensionList.lookupSingleton(WarmPoolKeeper.class)).thenReturn(keeper);
        when(keeper.keeps(agent)).thenReturn(true);
        MesosRetentionStrategy strategy = strategy(0, true);
        AgentLifecycleTest.launched(agent);
        long longAgo = System.currentTimeMillis() - 3 * MesosRetentionStrategy.UNUSED_GRACE.toMillis();
        computer(true, true, longAgo);
        computer.markOnline(longAgo);
        strategy.check(computer);
        verify(agent, never()).terminate();

        when(keeper.keeps(agent)).thenReturn(false);
        strategy.check(computer);
        verify(agent).terminate();
    }

    @Test
    void idleZeroMeansReleaseAfterTheBuildNotAtTheFirstCheck() throws Exception {
        MesosRetentionStrategy strategy = strategy(0, false);
        AgentLifecycleTest.launched(agent);
        long now = System.currentTimeMillis();
        computer(true, true, now - 2 * MINUTE);
        computer.markOnline(now - 2 * MINUTE);
        strategy.check(computer);
        verify(agent, never()).terminate();

        Executor executor = executorOf(computer);
        strategy.taskAccepted(executor, mock(Queue.Task.class));
        assertThat(strategy.isAcceptingTasks(computer)).as("not single-use").isTrue();
        strategy.taskCompleted(executor, mock(Queue.Task.class), 1000);
        computer(true, false, now + MINUTE); // another executor still busy
        strategy.check(computer);
        verify(agent, never()).terminate();

        computer(true, true, System.currentTimeMillis());
        strategy.check(computer);
        verify(agent).terminate();
    }

    @Test
    void singleUseAndIdleZeroAgentsThatGetNoBuildAreReleasedAfterAShortGrace() throws Exception {
        MesosRetentionStrategy strategy = strategy(0, true);
        AgentLifecycleTest.launched(agent);
        long now = System.currentTimeMillis();
        computer(true, true, now);
        computer.markOnline(now - MesosRetentionStrategy.UNUSED_GRACE.toMillis() + MINUTE);
        strategy.check(computer);
        verify(agent, never()).terminate();

        computer.markOnline(now - MesosRetentionStrategy.UNUSED_GRACE.toMillis() - MINUTE);
        computer(true, true, now - MesosRetentionStrategy.UNUSED_GRACE.toMillis() - MINUTE);
        strategy.check(computer);
        verify(agent).terminate();
    }

    @Test
    void flyweightTasksOnOneOffExecutorsNeitherTakeNorEndASingleUseAgent() throws Exception {
        MesosRetentionStrategy strategy = strategy(5, true);
        AgentLifecycleTest.launched(agent);
        OneOffExecutor oneOff = mock(OneOffExecutor.class);
        when(oneOff.getOwner()).thenReturn(computer);

        strategy.taskAccepted(oneOff, mock(Queue.Task.class));
        assertThat(strategy.isAcceptingTasks(computer)).isTrue();
        strategy.taskCompleted(oneOff, mock(Queue.Task.class), 10);
        verify(agent, never()).terminate();
    }

    /** Like durable-task's ContinuableExecutable, which Pipeline's node block implements. */
    public interface ContinuableExecutable extends Queue.Executable {
        boolean willContinue();
    }

    @Test
    void anExecutableThatWillContinueKeepsItsSingleUseAgentAndCanComeBackToIt() throws Exception {
        MesosRetentionStrategy strategy = strategy(5, true);
        AgentLifecycleTest.launched(agent);
        Executor executor = executorOf(computer);
        ContinuableExecutable resumed = mock(ContinuableExecutable.class);
        when(resumed.willContinue()).thenReturn(true);
        when(executor.getCurrentExecutable()).thenReturn(resumed);

        strategy.taskAccepted(executor, mock(Queue.Task.class));
        strategy.taskCompleted(executor, mock(Queue.Task.class), 10);
        verify(agent, never()).terminate();
        assertThat(strategy.isAcceptingTasks(computer)).isTrue();

        when(resumed.willContinue()).thenReturn(false);
        strategy.taskAccepted(executor, mock(Queue.Task.class));
        strategy.taskCompleted(executor, mock(Queue.Task.class), 10);
        verify(agent).terminate();
    }

    @Test
    void theLauncherFinishingDoesNotUndoADrainOrASingleUseStop() throws Exception {
        MesosRetentionStrategy strategy = strategy(5, true);
        when(clouds.running("mesos", "mesos-linux-1"))
                .thenReturn(
                        CompletableFuture.completedFuture(
                                new LaunchedAgent(
                                        "mesos-linux-1", "linux", "task-1", "agent-1", "host-7")));
        MesosLauncher launcher = mock(MesosLauncher.class, CALLS_REAL_METHODS);
        doReturn(launcher).when(agent).getLauncher();
        doReturn(true).when(computer).isOnline();
        doReturn(false).when(computer).isOffline();
        // a build was accepted as soon as the channel came up, and the host went into maintenance
        strategy.taskAccepted(executorOf(computer), mock(Queue.Task.class));
        computer.drain();
        org.mockito.Mockito.doNothing()
                .when(computer)
                .setAcceptingTasks(org.mockito.ArgumentMatchers.anyBoolean());

        TaskListenerDouble listener = new TaskListenerDouble();
        try (MockedStatic<jenkins.model.Jenkins> statics =
                mockStatic(jenkins.model.Jenkins.class)) {
            launcher.launch(computer, listener.listener);
        }

        assertThat(launcher.isLaunched()).isTrue();
        verify(computer, never()).setAcceptingTasks(true);
        assertThat(strategy.isAcceptingTasks(computer)).isFalse();
    }

    @Test
    void waitingForTheTaskOrTheConnectionStopsWhenTheNodeIsRemoved() {
        when(clouds.running("mesos", "mesos-linux-1")).thenReturn(new CompletableFuture<>());
        doReturn(null).when(computer).getNode();
        doReturn(false).when(computer).isOnline();
        PrintStream log =
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        assertThatThrownBy(
                        () ->
                                MesosLauncher.awaitTask(
                                        computer,
                                        agent,
                                        log,
                                        Duration.ofMinutes(10),
                                        Duration.ofMillis(20)))
                .hasMessageContaining("node was removed");
        assertThatThrownBy(() -> MesosLauncher.waitOnline(computer, Duration.ofMinutes(5)))
                .hasMessageContaining("node was removed");
    }

    @Test
    void waitingForTheTaskHasADeadline() {
        when(clouds.running("mesos", "mesos-linux-1")).thenReturn(new CompletableFuture<>());
        PrintStream log =
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        assertThatThrownBy(
                        () ->
                                MesosLauncher.awaitTask(
                                        computer,
                                        agent,
                                        log,
                                        Duration.ofMillis(100),
                                        Duration.ofMillis(20)))
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("no answer from the Mesos cloud");
    }

    private static final class TaskListenerDouble {
        final hudson.model.TaskListener listener = mock(hudson.model.TaskListener.class);

        TaskListenerDouble() {
            when(listener.getLogger())
                    .thenReturn(
                            new PrintStream(
                                    new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        }
    }
}
