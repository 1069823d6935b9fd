package io.jenkins.plugins.mesosagents.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import hudson.model.Computer;
import hudson.model.Executor;
import hudson.model.OneOffExecutor;
import hudson.model.Queue;
import hudson.model.Run;
import hudson.model.TaskListener;

import org.jenkinsci.plugins.workflow.flow.FlowExecutionOwner;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The build log line naming the Mesos agent a build got. Core calls RunListener.onStarted from
 * Run.execute once the build's log is open, on the build's own executor (jenkins-2.479.3
 * Run.java:1860-1880, Run.getExecutor is Executor.of: Run.java:552, Executor.java:990), and every
 * {@code @Extension} ExecutorListener's taskAccepted from the main work unit's executor thread
 * (queue/WorkUnitContext.java:90-99). A Pipeline node block's task is workflow-durable-task-step's
 * PlaceholderTask, whose getOwnerExecutable() is the WorkflowRun (ExecutorStepExecution.java:748 of
 * jenkinsci/workflow-durable-task-step-plugin), a FlowExecutionOwner.Executable. Jenkins doubled by
 * Mockito.
 */
class AgentAssignedLogLineTest {
    private static final String SANDBOX =
            "http://m:5050/#/agents/S7/frameworks/fw-9/executors/mesos-linux-1/browse";
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final TaskListener listener = mock(TaskListener.class);

    AgentAssignedLogLineTest() {
        when(listener.getLogger()).thenReturn(new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    private static Executor mesosExecutor(Class<? extends Executor> type) {
        MesosAgent agent = mock(MesosAgent.class);
        when(agent.getNodeName()).thenReturn("mesos-linux-1");
        when(agent.getCloudName()).thenReturn("mesos");
        when(agent.getTemplateName()).thenReturn("linux");
        MesosComputer computer = mock(MesosComputer.class);
        doReturn(agent).when(computer).getNode();
        when(computer.getMesosTask())
                .thenReturn(
                        new MesosTaskView(
                                "mesos-linux-1", "h7", "TASK_RUNNING (reached)", SANDBOX));
        Executor executor = mock(type);
        when(executor.getOwner()).thenReturn(computer);
        return executor;
    }

    /** The stand-in's RunListener constructor throws; the listener's own method runs for real. */
    private static AgentAssignedLogLine.BuildStarted buildStarted() {
        return mock(AgentAssignedLogLine.BuildStarted.class, CALLS_REAL_METHODS);
    }

    private String written() {
        return log.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theLineNamesHostTaskTemplateCloudAndSandbox() {
        assertThat(
                        AgentAssignedLogLine.line(
                                "mesos-linux-1",
                                "mesos",
                                "linux",
                                new MesosTaskView("mesos-linux-1", "h7", "TASK_RUNNING", SANDBOX)))
                .isEqualTo(
                        "Running on Mesos agent mesos-linux-1: host h7, task mesos-linux-1,"
                                + " template linux of cloud mesos, sandbox "
                                + SANDBOX);
        assertThat(
                        AgentAssignedLogLine.line(
                                "mesos-linux-1",
                                "mesos",
                                "linux",
                                new MesosTaskView("mesos-linux-1", null, "launching", null)))
                .contains("host unknown host")
                .endsWith("no sandbox link (it needs an http(s) master URL and the task running)");
    }

    @Test
    void aFreestyleBuildOnAMesosAgentGetsTheLineInItsLog() {
        Run<?, ?> run = mock(Run.class);
        Executor executor = mesosExecutor(Executor.class);
        when(run.getExecutor()).thenReturn(executor);

        buildStarted().onStarted(run, listener);

        assertThat(written())
                .isEqualTo(
                        "Running on Mesos agent mesos-linux-1: host h7, task mesos-linux-1,"
                                + " template linux of cloud mesos, sandbox "
                                + SANDBOX
                                + System.lineSeparator());
    }

    @Test
    void buildsElsewhereAndFlyweightsGetNoLine() {
        Run<?, ?> elsewhere = mock(Run.class);
        Executor other = mock(Executor.class);
        when(other.getOwner()).thenReturn(mock(Computer.class));
        when(elsewhere.getExecutor()).thenReturn(other);
        Run<?, ?> flyweight = mock(Run.class);
        Executor oneOff = mesosExecutor(OneOffExecutor.class);
        when(flyweight.getExecutor()).thenReturn(oneOff);
        Run<?, ?> finished = mock(Run.class);

        buildStarted().onStarted(elsewhere, listener);
        buildStarted().onStarted(flyweight, listener);
        buildStarted().onStarted(finished, listener);

        verifyNoInteractions(listener);
    }

    @Test
    void aPipelineNodeBlockOnAMesosAgentWritesToItsRunsLog() throws Exception {
        FlowExecutionOwner flow = mock(FlowExecutionOwner.class);
        when(flow.getListener()).thenReturn(listener);
        Queue.Executable pipelineRun =
                mock(
                        Queue.Executable.class,
                        withSettings().extraInterfaces(FlowExecutionOwner.Executable.class));
        when(((FlowExecutionOwner.Executable) pipelineRun).asFlowExecutionOwner()).thenReturn(flow);
        Queue.Task placeholder = mock(Queue.Task.class);
        when(placeholder.getOwnerExecutable()).thenReturn(pipelineRun);

        new AgentAssignedLogLine.NodeBlockAccepted()
                .taskAccepted(mesosExecutor(Executor.class), placeholder);

        assertThat(written())
                .isEqualTo(
                        "Running on Mesos agent mesos-linux-1: host h7, task mesos-linux-1,"
                                + " template linux of cloud mesos, sandbox "
                                + SANDBOX
                                + System.lineSeparator());
    }

    @Test
    void aTaskOwnedByNothingOrNotAPipelineGetsNoLineFromTheExecutorListener() {
        Queue.Task freestyle = mock(Queue.Task.class); // getOwnerExecutable(): null, as in core
        Queue.Task ownedByOther = mock(Queue.Task.class);
        when(ownedByOther.getOwnerExecutable()).thenReturn(mock(Queue.Executable.class));
        Queue.Task pipelineElsewhere = mock(Queue.Task.class);
        FlowExecutionOwner.Executable run = mock(FlowExecutionOwner.Executable.class);
        when(pipelineElsewhere.getOwnerExecutable()).thenReturn(run);
        Executor other = mock(Executor.class);
        when(other.getOwner()).thenReturn(mock(Computer.class));

        new AgentAssignedLogLine.NodeBlockAccepted()
                .taskAccepted(mesosExecutor(Executor.class), freestyle);
        new AgentAssignedLogLine.NodeBlockAccepted()
                .taskAccepted(mesosExecutor(Executor.class), ownedByOther);
        new AgentAssignedLogLine.NodeBlockAccepted().taskAccepted(other, pipelineElsewhere);

        verifyNoInteractions(run);
        // another computer's executor: the task is not even asked for its owner
        org.mockito.Mockito.verify(pipelineElsewhere, org.mockito.Mockito.never())
                .getOwnerExecutable();
        assertThat(written()).isEmpty();
    }
}
