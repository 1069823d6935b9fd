package io.jenkins.plugins.mesosagents.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockConstruction;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.when;

import hudson.ExtensionList;
import hudson.model.Label;
import hudson.model.Node;
import hudson.model.labels.LabelAtom;
import hudson.slaves.Cloud;
import hudson.slaves.NodeProvisioner.PlannedNode;

import io.jenkins.plugins.mesosagents.engine.AgentIdentity;
import io.jenkins.plugins.mesosagents.engine.AgentNamer;
import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.PlannedAgent;
import io.jenkins.plugins.mesosagents.session.SchedulerSession;

import jenkins.security.HMACConfidentialKey;
import jenkins.slaves.JnlpAgentReceiver;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.MockedConstruction;
import org.mockito.MockedStatic;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * How the cloud turns the provisioner's demand into planned nodes, with the Jenkins API doubled by
 * Mockito.
 */
class MesosCloudProvisionTest {
    private final MesosClouds clouds = mock(MesosClouds.class);
    private final SchedulerSession session = mock(SchedulerSession.class);
    private MockedStatic<ExtensionList> extensions;
    private MockedStatic<Label> labels;
    private MesosCloud cloud;
    private MesosAgentTemplate linux;
    private MesosAgentTemplate anyJob;

    @BeforeEach
    void cloud() {
        extensions = mockStatic(ExtensionList.class);
        extensions.when(() -> ExtensionList.lookupSingleton(MesosClouds.class)).thenReturn(clouds);
        labels = mockStatic(Label.class);
        cloud = mock(MesosCloud.class, CALLS_REAL_METHODS);
        cloud.name = "mesos";
        linux = new MesosAgentTemplate("linux");
        linux.setLabelString("linux");
        linux.setExecutors("2");
        anyJob = new MesosAgentTemplate("default");
        anyJob.setMode(Node.Mode.NORMAL);
        cloud.setTemplates(List.of(linux, anyJob));
        when(clouds.sessionFor(cloud)).thenReturn(session);
        org.mockito.Mockito.doNothing().when(cloud).reviewSoon(any());
    }

    @AfterEach
    void close() {
        extensions.close();
        labels.close();
    }

    private Label label(String expression, boolean matchesLinux) {
        Label label = mock(Label.class);
        Set<LabelAtom> linuxAtoms = Set.of(mock(LabelAtom.class));
        labels.when(() -> Label.parse("linux")).thenReturn(linuxAtoms);
        labels.when(() -> Label.parse("")).thenReturn(Set.of());
        when(label.matches(linuxAtoms)).thenReturn(matchesLinux);
        when(label.toString()).thenReturn(expression);
        return label;
    }

    @Test
    void choosesTheTemplateByLabelAndUnlabelledJobsOnlyGoToNormalTemplates() {
        assertThat(cloud.templateFor(label("linux", true))).isSameAs(linux);
        assertThat(cloud.templateFor(label("windows", false))).isNull();
        assertThat(cloud.templateFor(null)).isSameAs(anyJob);
        Cloud.CloudState unlabelled = mock(Cloud.CloudState.class);
        assertThat(cloud.canProvision(unlabelled)).isTrue();
    }

    @Test
    void plansOneAgentPerTemplateExecutorsWorthOfWorkAndCompletesTheFutureAtOnce()
            throws Exception {
        Label label = label("linux", true);
        List<Integer> asked = new ArrayList<>();
        when(session.provision(eq("linux"), anyInt(), any()))
                .thenAnswer(
                        call -> {
                            int count = call.getArgument(1);
                            asked.add(count);
                            List<PlannedAgent> planned = new ArrayList<>();
                            for (int i = 0; i < count; i++) {
                                planned.add(
                                        new PlannedAgent(
                                                "mesos-linux-" + i,
                                                "linux",
                                                new CompletableFuture<>()));
                            }
                            return CompletableFuture.completedFuture(planned);
                        });
        Cloud.CloudState state = mock(Cloud.CloudState.class);
        when(state.getLabel()).thenReturn(label);

        List<Object[]> plannedNodes = new ArrayList<>();
        doAnswer(
                        call -> {
                            plannedNodes.add(call.getArguments());
                            return mock(PlannedNode.class);
                        })
                .when(cloud)
                .planned(anyString(), any(), anyInt());

        try (MockedConstruction<MesosLauncher> launchers = mockConstruction(MesosLauncher.class);
                MockedConstruction<MesosAgent> agents =
                        mockConstruction(
                                MesosAgent.class,
                                (agent, context) -> {
                                    assertThat(context.arguments()).element(1).isEqualTo("mesos");
                                    assertThat(context.arguments()).element(2).isSameAs(linux);
                                    assertThat(context.arguments())
                                            .element(3)
                                            .isInstanceOf(MesosLauncher.class);
                                })) {
            Collection<PlannedNode> nodes = cloud.provision(state, 3);

            assertThat(asked).containsExactly(2); // 3 executors of work, 2 executors per agent
            assertThat(nodes).hasSize(2);
            org.mockito.Mockito.verify(cloud).reviewSoon(label);
            assertThat(agents.constructed()).hasSize(2);
            assertThat(plannedNodes)
                    .satisfiesExactly(
                            args ->
                                    assertThat(args)
                                            .containsExactly(
                                                    "mesos-linux-0",
                                                    agents.constructed().get(0),
                                                    2),
                            args ->
                                    assertThat(args)
                                            .containsExactly(
                                                    "mesos-linux-1",
                                                    agents.constructed().get(1),
                                                    2));
        }
    }

    @Test
    void plannedNodesAreAddedAtOnceBecauseTheProvisionerIsAskedToReviewASecondLater() {
        Label label = label("linux", true);
        hudson.slaves.NodeProvisioner provisioner = mock(hudson.slaves.NodeProvisioner.class);
        setFinal(label, "nodeProvisioner", provisioner);
        java.util.concurrent.ScheduledExecutorService timer =
                mock(java.util.concurrent.ScheduledExecutorService.class);
        jenkins.model.Jenkins controller = mock(jenkins.model.Jenkins.class);
        org.mockito.Mockito.doCallRealMethod().when(cloud).reviewSoon(any());
        try (MockedStatic<jenkins.util.Timer> timers = mockStatic(jenkins.util.Timer.class);
                MockedStatic<jenkins.model.Jenkins> statics =
                        mockStatic(jenkins.model.Jenkins.class)) {
            timers.when(jenkins.util.Timer::get).thenReturn(timer);
            statics.when(jenkins.model.Jenkins::get).thenReturn(controller);
            cloud.reviewSoon(label);
            org.mockito.ArgumentCaptor<Runnable> review =
                    org.mockito.ArgumentCaptor.forClass(Runnable.class);
            org.mockito.Mockito.verify(timer)
                    .schedule(review.capture(), eq(1L), eq(java.util.concurrent.TimeUnit.SECONDS));
            review.getValue().run();
            org.mockito.Mockito.verify(provisioner).suggestReviewNow();
        }
    }

    @Test
    void aTemplateWithoutExecutorsIsRefusedBeforeTheEngineAdmitsAnything() {
        Label label = label("linux", true);
        linux.setExecutors("0"); // e.g. from a config.xml older than the field
        Cloud.CloudState state = mock(Cloud.CloudState.class);
        when(state.getLabel()).thenReturn(label);

        assertThat(cloud.provision(state, 2)).isEmpty();
        org.mockito.Mockito.verify(session, org.mockito.Mockito.never())
                .provision(anyString(), anyInt(), any());
    }

    private static void setFinal(Object target, String field, Object value) {
        try {
            java.lang.reflect.Field f = Label.class.getDeclaredField(field);
            f.setAccessible(true);
            sun.misc.Unsafe unsafe = unsafe();
            unsafe.putObject(target, unsafe.objectFieldOffset(f), value);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void neverThrowsFromProvisionWhenTheSessionFails() {
        Label label = label("linux", true);
        when(session.provision(anyString(), anyInt(), any()))
                .thenReturn(
                        CompletableFuture.failedFuture(
                                new IllegalStateException("Mesos removed this framework")));
        Cloud.CloudState state = mock(Cloud.CloudState.class);
        when(state.getLabel()).thenReturn(label);
        assertThat(cloud.provision(state, 1)).isEmpty();
        assertThat(cloud.provision(mock(Cloud.CloudState.class), 0)).isEmpty();
    }

    @Test
    void cloudPageShowsTheSessionsStateOrThatItHasNotConnected() {
        when(clouds.existing("mesos")).thenReturn(java.util.Optional.empty());
        assertThat(cloud.getConnectionStatus()).startsWith("not connected yet");
        assertThat(cloud.getTemplateStatuses()).isEmpty();

        io.jenkins.plugins.mesosagents.engine.TemplateStatus linuxStatus =
                new io.jenkins.plugins.mesosagents.engine.TemplateStatus(
                        "linux", 2, 1, 3, null, List.of(), 0, "", null, 5);
        io.jenkins.plugins.mesosagents.engine.EngineSnapshot snapshot =
                new io.jenkins.plugins.mesosagents.engine.EngineSnapshot(
                        "fw-1",
                        true,
                        false,
                        2,
                        4,
                        0,
                        false,
                        java.util.Map.of("linux", linuxStatus));
        when(session.snapshot()).thenReturn(snapshot);
        when(session.status())
                .thenReturn(
                        new SchedulerSession.Status("SUBSCRIBED", false, "master http://m1:5050/"));
        when(clouds.existing("mesos")).thenReturn(java.util.Optional.of(session));
        assertThat(cloud.getConnectionStatus()).isEqualTo("SUBSCRIBED: master http://m1:5050/");
        assertThat(cloud.getTemplateStatuses()).containsExactly(linuxStatus);
    }

    @Test
    void agentIdentityCarriesTheJenkinsInboundSecretForItsName() throws Exception {
        HMACConfidentialKey key = mock(HMACConfidentialKey.class);
        when(key.mac(anyString())).thenAnswer(call -> "mac-of-" + call.getArgument(0));
        java.lang.reflect.Field field = JnlpAgentReceiver.class.getField("SLAVE_SECRET");
        AgentNamer[] namer = new AgentNamer[1];
        when(session.provision(eq("linux"), anyInt(), any()))
                .thenAnswer(
                        call -> {
                            namer[0] = call.getArgument(2);
                            return CompletableFuture.completedFuture(List.of());
                        });
        Label label = label("linux", true);
        Cloud.CloudState state = mock(Cloud.CloudState.class);
        when(state.getLabel()).thenReturn(label);
        cloud.provision(state, 1);

        try (MockedStatic<JnlpAgentReceiver> ignored = mockStatic(JnlpAgentReceiver.class)) {
            // SLAVE_SECRET is a static final field (null in the stand-in): read the identity
            // through a double
            AgentIdentity identity =
                    withSecretKey(
                            field,
                            key,
                            () -> namer[0].next(AgentTemplate.builder("Linux_Big.v2").build()));
            assertThat(identity.name()).matches("mesos-linux-big-v2-[0-9a-f]{8}");
            assertThat(identity.secret().reveal()).isEqualTo("mac-of-" + identity.name());
            assertThat(identity.toString()).doesNotContain("mac-of-");
        }
    }

    private static <T> T withSecretKey(
            java.lang.reflect.Field field,
            HMACConfidentialKey key,
            java.util.function.Supplier<T> body)
            throws Exception {
        sun.misc.Unsafe unsafe = unsafe();
        Object base = unsafe.staticFieldBase(field);
        long offset = unsafe.staticFieldOffset(field);
        Object before = unsafe.getObject(base, offset);
        unsafe.putObject(base, offset, key);
        try {
            return body.get();
        } finally {
            unsafe.putObject(base, offset, before);
        }
    }

    private static sun.misc.Unsafe unsafe() throws Exception {
        java.lang.reflect.Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        return (sun.misc.Unsafe) f.get(null);
    }
}
