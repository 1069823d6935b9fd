package io.jenkins.plugins.mesosagents.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import hudson.model.Executor;
import hudson.model.Job;
import hudson.model.OneOffExecutor;
import hudson.model.Queue;
import hudson.model.Run;

import io.jenkins.plugins.mesosagents.engine.LaunchedAgent;
import io.jenkins.plugins.mesosagents.engine.TaskResources;

import jenkins.model.Jenkins;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.MockedStatic;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * The Jenkins glue of per-build accounting with Mockito doubles: which build an executor's task
 * belongs to (a freestyle build is the executable; a Pipeline node block's task names its build
 * through getOwnerExecutable), what is recorded from the agent's facts taken at start, and that the
 * build is saved and the cloud's window counts it.
 */
class BuildAccountingTest {
    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final Instant RUNNING = NOW.minusSeconds(600);

    private BuildAccounting accounting;
    private Executor executor;
    private MesosComputer computer;
    private MesosAgent agent;
    private Run<?, ?> run;
    private Queue.Task task;

    @BeforeEach
    void doubles() {
        accounting = new BuildAccounting(Clock.fixed(NOW, ZoneOffset.UTC));
        executor = mock(Executor.class);
        computer = mock(MesosComputer.class);
        agent = mock(MesosAgent.class);
        when(executor.getOwner()).thenReturn(computer);
        when(computer.getNode()).thenReturn(agent);
        when(agent.getCloudName()).thenReturn("mesos");
        when(agent.getNodeName()).thenReturn("linux-abc12");
        when(agent.getTemplateName()).thenReturn("linux");
        when(agent.taskFacts())
                .thenReturn(
                        TaskFacts.of(
                                new LaunchedAgent(
                                        "linux-abc12",
                                        "linux",
                                        "linux-abc12",
                                        "S0",
                                        "a1.local",
                                        new TaskResources(2, 3072, 500, 0),
                                        RUNNING)));
        run = mock(Run.class, withSettings().extraInterfaces(Queue.Executable.class));
        Job<?, ?> job = mock(Job.class);
        when(job.getFullName()).thenReturn("team/app/main");
        when(((Run) run).getParent()).thenReturn(job);
        task = mock(Queue.Task.class);
    }

    private MesosUsageAction recordedAction() throws Exception {
        ArgumentCaptor<MesosUsageAction> action = ArgumentCaptor.forClass(MesosUsageAction.class);
        verify(run).addOrReplaceAction(action.capture());
        verify(run).save();
        return action.getValue();
    }

    @Test
    void aFreestyleBuildIsChargedItsExecutorTimeWithItsAgentsTaskResources() throws Exception {
        when(executor.getCurrentExecutable()).thenReturn((Queue.Executable) run);
        accounting.taskStarted(executor, task);
        accounting.taskCompleted(executor, task, 60_000);

        MesosUsageAction action = recordedAction();
        assertThat(action.getAgents()).hasSize(1);
        MesosBuildUsage u = action.getAgents().get(0);
        assertThat(u.getAgent()).isEqualTo("linux-abc12");
        assertThat(u.getTemplate()).isEqualTo("linux");
        assertThat(u.getHost()).isEqualTo("a1.local");
        assertThat(u.getTaskId()).isEqualTo("linux-abc12");
        assertThat(u.getCpus()).isEqualTo(2);
        assertThat(u.getMemMb()).isEqualTo(3072);
        assertThat(u.getDiskMb()).isEqualTo(500);
        assertThat(u.getStartMillis()).isEqualTo(NOW.minusSeconds(60).toEpochMilli());
        assertThat(u.getEndMillis()).isEqualTo(NOW.toEpochMilli());
        assertThat(u.getTaskRunningMillis()).isEqualTo(RUNNING.toEpochMilli());
        assertThat(u.getTaskEndedMillis()).isZero();
        assertThat(u.getSeconds()).isEqualTo(60);
        assertThat(u.getCpuSeconds()).isEqualTo(120);
        assertThat(u.getGbSeconds()).isEqualTo(180);
        assertThat(action.getCpuSeconds()).isEqualTo(120);
        assertThat(action.getCpuSecondsText()).isEqualTo("120.0");
        assertThat(action.getIconFileName()).isNull();
        assertThat(action.getUrlName()).isNull();

        assertThat(accounting.top("mesos", false, 10))
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.name()).isEqualTo("team/app/main");
                            assertThat(r.cpuSeconds()).isEqualTo(120);
                        });
        assertThat(accounting.top("mesos", true, 10))
                .extracting(r -> r.name())
                .containsExactly("team", "team/app");
        assertThat(accounting.top("other-cloud", false, 10)).isEmpty();
    }

    @Test
    void aPipelineNodeBlockFindsItsBuildThroughTheTasksOwnerExecutable() throws Exception {
        Queue.Executable placeholder = mock(Queue.Executable.class);
        when(executor.getCurrentExecutable()).thenReturn(placeholder);
        when(task.getOwnerExecutable()).thenReturn((Queue.Executable) run);
        accounting.taskStarted(executor, task);
        // Mesos ended the task during the block and Jenkins removed the node before it returned
        when(computer.taskEndedAt()).thenReturn(NOW.minusSeconds(20));
        when(computer.getNode()).thenReturn(null);
        accounting.taskCompletedWithProblems(executor, task, 60_000, new Exception("channel lost"));

        MesosBuildUsage u = recordedAction().getAgents().get(0);
        assertThat(u.getHost()).as("facts taken at start").isEqualTo("a1.local");
        assertThat(u.getTaskEndedMillis()).isEqualTo(NOW.minusSeconds(20).toEpochMilli());
        assertThat(u.getSeconds()).isEqualTo(40);
        assertThat(u.getCpuSeconds()).isEqualTo(80);
    }

    @Test
    void aSecondBlockOfTheSameBuildIsAddedToItsAction() throws Exception {
        when(executor.getCurrentExecutable()).thenReturn((Queue.Executable) run);
        MesosUsageAction existing = new MesosUsageAction();
        when(run.getAction(MesosUsageAction.class)).thenReturn(existing);
        accounting.taskStarted(executor, task);
        accounting.taskCompleted(executor, task, 10_000);
        accounting.taskStarted(executor, task);
        accounting.taskCompleted(executor, task, 30_000);

        verify(run, never()).addOrReplaceAction(any());
        assertThat(existing.getAgents()).hasSize(2);
        assertThat(existing.getCpuSeconds()).isEqualTo(80);
        assertThat(existing.getGbSeconds()).isEqualTo(120);
    }

    @Test
    void otherExecutorsAndFlyweightTasksAreNotCharged() throws Exception {
        Executor elsewhere = mock(Executor.class);
        when(elsewhere.getOwner()).thenReturn(mock(hudson.model.Computer.class));
        when(elsewhere.getCurrentExecutable()).thenReturn((Queue.Executable) run);
        accounting.taskStarted(elsewhere, task);
        accounting.taskCompleted(elsewhere, task, 1000);

        OneOffExecutor flyweight = mock(OneOffExecutor.class);
        when(flyweight.getOwner()).thenReturn(computer);
        when(flyweight.getCurrentExecutable()).thenReturn((Queue.Executable) run);
        accounting.taskStarted(flyweight, task);
        accounting.taskCompleted(flyweight, task, 1000);

        verify(run, never()).addOrReplaceAction(any());
        verify(run, never()).save();
        assertThat(accounting.top("mesos", false, 10)).isEmpty();
    }

    @Test
    void theEnginesReportOfTheTasksEndReachesTheAgentsComputer() {
        Jenkins controller = mock(Jenkins.class);
        MesosComputer real = mock(MesosComputer.class, CALLS_REAL_METHODS);
        when(controller.getComputer("linux-abc12")).thenReturn(real);
        try (MockedStatic<Jenkins> statics = mockStatic(Jenkins.class)) {
            statics.when(Jenkins::get).thenReturn(controller);
            assertThat(real.taskEndedAt()).isNull();
            new JenkinsNodes("mesos").taskEnded("linux-abc12", NOW.minusSeconds(5));
            new JenkinsNodes("mesos").taskEnded("not-an-agent", NOW); // no computer: nothing
        }
        assertThat(real.taskEndedAt()).isEqualTo(NOW.minusSeconds(5));
    }

    @Test
    void anAgentWithoutTaskFactsIsRecordedWithUnknownResources() throws Exception {
        when(agent.taskFacts()).thenReturn(null);
        when(executor.getCurrentExecutable()).thenReturn((Queue.Executable) run);
        accounting.taskCompleted(executor, task, 5_000);

        MesosBuildUsage u = recordedAction().getAgents().get(0);
        assertThat(u.getTaskId()).isEqualTo("linux-abc12");
        assertThat(u.getCpus()).isZero();
        assertThat(u.getSeconds()).isEqualTo(5);
        assertThat(u.getCpuSeconds()).isZero();
    }
}
