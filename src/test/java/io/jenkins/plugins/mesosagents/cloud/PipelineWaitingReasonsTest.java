package io.jenkins.plugins.mesosagents.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import hudson.model.Label;
import hudson.model.Queue;
import hudson.model.TaskListener;

import org.jenkinsci.plugins.workflow.flow.FlowExecutionOwner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine's waiting reason reaches the log of a Pipeline whose node block waits for a label a
 * Mesos template serves. The queue item of a node block holds workflow-durable-task-step's
 * PlaceholderTask, whose getOwnerExecutable() is the WorkflowRun (ExecutorStepExecution.java:748),
 * a FlowExecutionOwner.Executable; a freestyle job's task has none (core SubTask.java:105-107 at
 * jenkins-2.479.3). Jenkins doubled by Mockito.
 */
class PipelineWaitingReasonsTest {
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final Map<String, String> reasons = new HashMap<>();
    private MesosCloud cloud;
    private Label linux;
    private Label windows;
    private final PipelineWaitingReasons.Writer writer = new PipelineWaitingReasons.Writer();

    @BeforeEach
    void setUp() {
        cloud = mock(MesosCloud.class, CALLS_REAL_METHODS);
        cloud.name = "mesos";
        linux = mock(Label.class);
        windows = mock(Label.class);
        doReturn(new MesosAgentTemplate("linux")).when(cloud).templateFor(linux);
        doReturn(null).when(cloud).templateFor(windows);
    }

    private Queue.BuildableItem nodeBlock(long id, Label label) throws Exception {
        TaskListener listener = mock(TaskListener.class);
        when(listener.getLogger()).thenReturn(new PrintStream(log, true, StandardCharsets.UTF_8));
        FlowExecutionOwner flow = mock(FlowExecutionOwner.class);
        when(flow.getListener()).thenReturn(listener);
        Queue.Executable run =
                mock(
                        Queue.Executable.class,
                        withSettings().extraInterfaces(FlowExecutionOwner.Executable.class));
        when(((FlowExecutionOwner.Executable) run).asFlowExecutionOwner()).thenReturn(flow);
        Queue.Task placeholder = mock(Queue.Task.class);
        when(placeholder.getOwnerExecutable()).thenReturn(run);
        return item(id, label, placeholder);
    }

    private static Queue.BuildableItem item(long id, Label label, Queue.Task task) {
        Queue.BuildableItem item = mock(Queue.BuildableItem.class);
        AgentLifecycleTest.setField(item, "task", task);
        when(item.getId()).thenReturn(id);
        when(item.getAssignedLabel()).thenReturn(label);
        return item;
    }

    private void run(List<Queue.BuildableItem> items) {
        writer.write(items, List.of(cloud), (c, t) -> reasons.get(c + "/" + t));
    }

    private List<String> lines() {
        return log.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void theReasonIsWrittenWhenItChangesOnly() throws Exception {
        Queue.BuildableItem waiting = nodeBlock(7, linux);
        reasons.put("mesos/linux", "linux: INSUFFICIENT_CPUS - needs 4.0 cpus, best offer 2.0");

        run(List.of(waiting));
        run(List.of(waiting));
        reasons.put("mesos/linux", "linux: NO_OFFERS - no offers were received in this cycle");
        run(List.of(waiting));

        assertThat(lines())
                .containsExactly(
                        "Still waiting for a Mesos agent (cloud mesos, template linux): linux:"
                                + " INSUFFICIENT_CPUS - needs 4.0 cpus, best offer 2.0",
                        "Still waiting for a Mesos agent (cloud mesos, template linux): linux:"
                                + " NO_OFFERS - no offers were received in this cycle");
    }

    @Test
    void nothingIsWrittenWithoutAReasonAMesosLabelOrAPipeline() throws Exception {
        Queue.BuildableItem noReasonYet = nodeBlock(1, linux);
        Queue.BuildableItem notMesos = nodeBlock(2, windows);
        Queue.BuildableItem freestyle = item(3, linux, mock(Queue.Task.class));

        run(List.of(noReasonYet, notMesos, freestyle));
        reasons.put("mesos/linux", "linux: NO_OFFERS - no offers were received in this cycle");
        reasons.put("mesos/windows", "never asked: no template serves windows");
        run(List.of(notMesos, freestyle));

        assertThat(lines()).isEmpty();
    }

    @Test
    void anItemThatLeftAndCameBackIsToldAgain() throws Exception {
        Queue.BuildableItem waiting = nodeBlock(7, linux);
        reasons.put("mesos/linux", "linux: NO_OFFERS - no offers were received in this cycle");

        run(List.of(waiting));
        run(List.of());
        run(List.of(waiting));

        assertThat(lines()).hasSize(2);
    }
}
