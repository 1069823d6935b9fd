package io.jenkins.plugins.mesosagents.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockConstruction;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import hudson.model.Label;
import hudson.model.Node;
import hudson.model.Queue;
import hudson.model.TaskListener;
import hudson.slaves.Cloud;

import org.jenkinsci.plugins.workflow.flow.FlowExecutionOwner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.MockedConstruction;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which queue items are cancelled when a template cannot launch past its grace period: only those
 * whose label no other cloud and no other node can serve. Mockito doubles mimic core's calls:
 * Queue.getBuildableItems() (jenkins-2.479.3 Queue.java:947), Queue.cancel(Item) (Queue.java:745),
 * Label.getNodes() (Label.java:229), and Cloud.canProvision(new CloudState(label, n)) as the
 * provisioner asks it (NodeProvisioner.java:705-708).
 */
class NeverLaunchingItemsTest {
    private final Queue queue = mock(Queue.class);
    private final Cloud other = mock(Cloud.class);
    private MesosCloud cloud;
    private MesosAgentTemplate big;
    private Label onlyBig;
    private Label alsoElsewhere;
    private Label staticNode;

    private Queue.BuildableItem item(Label label) {
        Queue.BuildableItem item = mock(Queue.BuildableItem.class);
        when(item.getAssignedLabel()).thenReturn(label);
        return item;
    }

    @BeforeEach
    void setUp() {
        cloud = mock(MesosCloud.class, CALLS_REAL_METHODS);
        cloud.name = "mesos";
        big = new MesosAgentTemplate("big");
        onlyBig = mock(Label.class);
        alsoElsewhere = mock(Label.class);
        staticNode = mock(Label.class);
        for (Label l : List.of(onlyBig, alsoElsewhere, staticNode)) {
            doReturn(big).when(cloud).templateFor(l);
        }
        MesosAgent ours = mock(MesosAgent.class);
        when(ours.getCloudName()).thenReturn("mesos");
        when(ours.getTemplateName()).thenReturn("big");
        when(onlyBig.getNodes()).thenReturn(Set.of(ours));
        when(alsoElsewhere.getNodes()).thenReturn(Set.of());
        when(staticNode.getNodes()).thenReturn(Set.of(mock(Node.class)));
        when(queue.cancel(any(Queue.Item.class))).thenReturn(true);
    }

    @Test
    void cancelsOnlyItemsNothingElseCanServe() {
        Queue.BuildableItem a = item(onlyBig);
        Queue.BuildableItem b = item(alsoElsewhere);
        Queue.BuildableItem c = item(staticNode);
        Queue.BuildableItem unlabelled = item(null);
        when(queue.getBuildableItems()).thenReturn(List.of(a, b, c, unlabelled));
        try (MockedConstruction<Cloud.CloudState> states =
                mockConstruction(
                        Cloud.CloudState.class,
                        (state, ctx) ->
                                when(state.getLabel())
                                        .thenReturn((Label) ctx.arguments().get(0)))) {
            when(other.canProvision(any(Cloud.CloudState.class)))
                    .thenAnswer(
                            inv ->
                                    inv.<Cloud.CloudState>getArgument(0).getLabel()
                                            == alsoElsewhere);
            NeverLaunchingItems.cancelWaitingOnlyFor(
                    queue,
                    List.of(cloud, other),
                    cloud,
                    Map.of("big", "template big failed to launch 3 times in a row"));
        }
        verify(queue).cancel(a);
        verify(queue, never()).cancel(b);
        verify(queue, never()).cancel(c);
        verify(queue, never()).cancel(unlabelled);
    }

    @Test
    void leavesItemsOfTemplatesThatAreNotOverdue() {
        Queue.BuildableItem a = item(onlyBig);
        when(queue.getBuildableItems()).thenReturn(List.of(a));
        NeverLaunchingItems.cancelWaitingOnlyFor(
                queue, List.of(cloud), cloud, Map.of("other-template", "cannot launch"));
        verify(queue, never()).cancel(any(Queue.Item.class));
    }

    @Test
    void graceDefaultsForOldConfigurationsAndZeroNeverCancels() {
        MesosCloud fresh = mock(MesosCloud.class, CALLS_REAL_METHODS);
        assertThat(fresh.getNeverLaunchGraceMinutes())
                .isEqualTo(MesosCloud.DEFAULT_NEVER_LAUNCH_GRACE_MINUTES);
        fresh.setNeverLaunchGraceMinutes("0");
        assertThat(fresh.getNeverLaunchGraceMinutes()).isZero();
        fresh.setNeverLaunchGraceMinutes("-5");
        assertThat(fresh.getNeverLaunchGraceMinutes()).isZero();
    }

    @Test
    void anItemWaitingOnlyForAnInvalidTemplateIsCancelledWithTheReasonOnItAndInItsPipelineLog()
            throws Exception {
        MesosAgentTemplate broken = new MesosAgentTemplate("broken");
        Label brokenOnly = mock(Label.class);
        when(brokenOnly.toString()).thenReturn("gpu");
        doReturn(null).when(cloud).templateFor(brokenOnly);
        doReturn(broken).when(cloud).invalidTemplateFor(brokenOnly);
        when(brokenOnly.getNodes()).thenReturn(Set.of());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
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
        Queue.BuildableItem item = item(brokenOnly);
        AgentLifecycleTest.setField(item, "task", placeholder);
        when(queue.getBuildableItems()).thenReturn(List.of(item));

        NeverLaunchingItems.cancelWaitingOnlyFor(
                queue,
                List.of(cloud),
                cloud,
                Map.of("broken", "template broken is invalid (cpus: 'abc' is not a number)"));

        verify(queue).cancel(item);
        ArgumentCaptor<NeverLaunchCancellation> action =
                ArgumentCaptor.forClass(NeverLaunchCancellation.class);
        verify(item).addOrReplaceAction(action.capture());
        String reason = action.getValue().getReason();
        assertThat(reason)
                .isEqualTo(
                        "Mesos cloud mesos cannot launch an agent for label gpu: template broken is"
                                + " invalid (cpus: 'abc' is not a number). The build waited only"
                                + " for this template for more than 10 minutes and is removed from"
                                + " the queue. Fix the template, or raise the cloud's grace period"
                                + " (neverLaunchGraceMinutes).");
        assertThat(log.toString(StandardCharsets.UTF_8)).isEqualTo(reason + System.lineSeparator());
    }
}
