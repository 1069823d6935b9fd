package io.jenkins.plugins.mesosagents.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import hudson.ExtensionList;
import hudson.model.Computer;
import hudson.model.Label;
import hudson.model.Node;
import hudson.model.labels.LabelAtom;

import io.jenkins.plugins.mesosagents.engine.EngineSnapshot;
import io.jenkins.plugins.mesosagents.pool.PoolState;
import io.jenkins.plugins.mesosagents.pool.PoolTarget;
import io.jenkins.plugins.mesosagents.session.SchedulerSession;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.MockedStatic;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The warm-pool keeper's Jenkins side, with Mockito doubles of Jenkins: which nodes count as idle
 * or launching, how many agents it adds to reach a pool's target, which idle agents it keeps, and
 * the demand it records from the queue. The pool arithmetic itself is tested in {@code pool/}.
 */
class WarmPoolBookTest {
    private final MesosClouds clouds = mock(MesosClouds.class);
    private final SchedulerSession session = mock(SchedulerSession.class);
    private final WarmPoolBook keeper =
            new WarmPoolBook(Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC));
    private MockedStatic<ExtensionList> extensions;
    private MockedStatic<Label> labels;
    private MesosCloud cloud;
    private MesosAgentTemplate linux;
    private final List<Integer> admitted = new ArrayList<>();

    @BeforeEach
    void cloud() throws Exception {
        extensions = mockStatic(ExtensionList.class);
        extensions.when(() -> ExtensionList.lookupSingleton(MesosClouds.class)).thenReturn(clouds);
        labels = mockStatic(Label.class);
        cloud = mock(MesosCloud.class, CALLS_REAL_METHODS);
        cloud.name = "mesos";
        linux = new MesosAgentTemplate("linux");
        linux.setLabelString("linux");
        cloud.setTemplates(List.of(linux));
        EngineSnapshot snapshot = mock(EngineSnapshot.class);
        when(snapshot.templates()).thenReturn(Map.of());
        when(session.snapshot()).thenReturn(snapshot);
        when(clouds.existing("mesos")).thenReturn(Optional.of(session));
        doAnswer(
                        call -> {
                            int count = call.getArgument(1);
                            admitted.add(count);
                            List<MesosAgent> agents = new ArrayList<>();
                            for (int i = 0; i < count; i++) {
                                agents.add(mock(MesosAgent.class));
                            }
                            return agents;
                        })
                .when(cloud)
                .admitAgents(eq(linux), anyInt());
    }

    @AfterEach
    void close() {
        extensions.close();
        labels.close();
    }

    private void pool(String minIdle, String windows, boolean adaptive, String maxIdle) {
        WarmPoolSettings pool = new WarmPoolSettings();
        pool.setMinIdle(minIdle);
        pool.setWindows(windows);
        pool.setAdaptive(adaptive);
        pool.setMaxIdle(maxIdle);
        linux.setWarmPool(pool);
    }

    /** A node of the cloud: online and idle, online and busy, launching, or gone offline. */
    private static MesosAgent node(String cloudName, String template, String state) {
        MesosAgent agent = mock(MesosAgent.class);
        when(agent.getCloudName()).thenReturn(cloudName);
        when(agent.getTemplateName()).thenReturn(template);
        MesosLauncher launcher = mock(MesosLauncher.class);
        when(launcher.isLaunched()).thenReturn(!state.equals("launching"));
        when(agent.getLauncher()).thenReturn(launcher);
        Computer computer = mock(Computer.class);
        boolean online = state.equals("idle") || state.equals("busy");
        when(computer.isOffline()).thenReturn(!online);
        when(computer.isIdle()).thenReturn(!state.equals("busy"));
        when(computer.isAcceptingTasks()).thenReturn(online);
        when(agent.toComputer()).thenReturn(computer);
        return agent;
    }

    @Test
    void countsIdleAndLaunchingAgentsOfTheTemplateOnly() {
        List<Node> nodes =
                List.of(
                        node("mesos", "linux", "idle"),
                        node("mesos", "linux", "idle"),
                        node("mesos", "linux", "busy"),
                        node("mesos", "linux", "launching"),
                        node("mesos", "linux", "gone"),
                        node("mesos", "windows", "idle"),
                        node("other", "linux", "idle"),
                        mock(Node.class));
        WarmPoolBook.Counts counts = WarmPoolBook.count(nodes, "mesos", "linux");
        assertThat(counts.idle()).isEqualTo(2);
        assertThat(counts.launching()).isEqualTo(1);
    }

    @Test
    void addsAgentsUntilIdlePlusLaunchingReachTheTargetAndRecordsTheState() throws Exception {
        pool("3", "", false, "0");
        List<MesosAgent> added =
                keeper.check(
                        cloud,
                        List.of(node("mesos", "linux", "idle"), node("mesos", "linux", "busy")));
        assertThat(added).hasSize(2);
        assertThat(admitted).containsExactly(2);
        PoolState state = keeper.state("mesos", "linux").orElseThrow();
        assertThat(state.target().agents()).isEqualTo(3);
        assertThat(state.target().source()).isEqualTo(PoolTarget.Source.MINIMUM);
        assertThat(state.idle()).isEqualTo(1);

        admitted.clear();
        assertThat(
                        keeper.check(
                                cloud,
                                List.of(
                                        node("mesos", "linux", "idle"),
                                        node("mesos", "linux", "launching"),
                                        node("mesos", "linux", "launching"))))
                .isEmpty();
        assertThat(admitted).isEmpty();
    }

    @Test
    void aTemplateWithoutAPoolOrAnInvalidOneGetsNoWarmAgents() throws Exception {
        assertThat(keeper.check(cloud, List.of())).isEmpty();
        assertThat(keeper.state("mesos", "linux")).isEmpty();

        pool("5", "", false, "2");
        assertThat(linux.isValid()).isFalse();
        assertThat(linux.getProblems())
                .anySatisfy(p -> assertThat(p.field()).isEqualTo("warmPool.minIdle"));
        assertThat(keeper.check(cloud, List.of())).isEmpty();
        verify(cloud, never()).admitAgents(any(), anyInt());
    }

    @Test
    void aPoolFieldThatIsNotANumberMakesTheTemplateInvalid() {
        pool("two", "", false, "0");
        assertThat(linux.getProblems())
                .anySatisfy(p -> assertThat(p.field()).isEqualTo("warmPool.minIdle"));
    }

    @Test
    void nothingIsLaunchedWhileTheCloudIsNotConnected() throws Exception {
        pool("2", "", false, "0");
        when(clouds.existing("mesos")).thenReturn(Optional.empty());
        assertThat(keeper.check(cloud, List.of())).isEmpty();
        verify(cloud, never()).admitAgents(any(), anyInt());
    }

    @Test
    void keepsIdleAgentsUpToTheTargetOnly() {
        pool("2", "", false, "0");
        MesosAgent first = node("mesos", "linux", "idle");
        MesosAgent second = node("mesos", "linux", "idle");
        MesosAgent third = node("mesos", "linux", "idle");
        assertThat(keeper.keeps(cloud, first, List.of(first, second))).isTrue();
        assertThat(keeper.keeps(cloud, first, List.of(first, second, third))).isFalse();
        linux.setWarmPool(null);
        assertThat(keeper.keeps(cloud, first, List.of(first))).isFalse();
    }

    @Test
    void buildsQueuedForTheTemplatesLabelsSizeAnAdaptivePool() throws Exception {
        pool("0", "", true, "4");
        Label label = mock(Label.class);
        Set<LabelAtom> atoms = Set.of(mock(LabelAtom.class));
        labels.when(() -> Label.parse("linux")).thenReturn(atoms);
        when(label.matches(atoms)).thenReturn(true);
        assertThat(keeper.check(cloud, List.of())).as("no demand yet").isEmpty();

        for (int i = 0; i < 3; i++) {
            WarmPoolArrivals.arrived(List.of(cloud), label, keeper::arrived);
        }
        List<MesosAgent> added = keeper.check(cloud, List.of());
        // three builds queued together: a burst of 3 (the rate alone, 3 per 30 s with 30 s to
        // online, asks for more and is capped at the maximum of 4)
        assertThat(added).hasSize(4);
        assertThat(keeper.state("mesos", "linux").orElseThrow().target().source())
                .isEqualTo(PoolTarget.Source.ADAPTIVE);
    }
}
