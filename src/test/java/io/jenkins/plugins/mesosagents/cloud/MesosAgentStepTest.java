package io.jenkins.plugins.mesosagents.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.RETURNS_SELF;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockConstruction;
import static org.mockito.Mockito.mockStatic;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import hudson.AbortException;
import hudson.ExtensionList;
import hudson.model.Hudson;
import hudson.model.Job;
import hudson.model.Label;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.model.labels.LabelAtom;

import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.session.SchedulerSession;
import io.jenkins.plugins.mesosagents.settings.TemplateSettings;

import jenkins.model.Jenkins;

import org.jenkinsci.plugins.workflow.steps.BodyExecution;
import org.jenkinsci.plugins.workflow.steps.BodyInvoker;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.MockedConstruction;
import org.mockito.MockedStatic;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The mesosAgent step with Jenkins doubled by Mockito and the real cloud registry ({@link
 * MesosClouds}) over doubled sessions: the block runs with its template added under a unique label
 * (MESOS_LABEL) and the cloud provisions that label from it; however the block ends (its callback,
 * which workflow-step-api's TailCall runs on success and on failure alike:
 * BodyExecutionCallback.java:117-134 at e4f0967e98fa, or stop) the template is removed from the
 * session (which kills its tasks, see JenkinsfileTemplateOnSimulatorTest) and its nodes are
 * removed; after a restart it is restored into the new session, or its agents are ended and the
 * block cancelled; a template the cloud's rules refuse fails the step at once and adds nothing.
 */
class MesosAgentStepTest {
    private final List<SchedulerSession> sessions = new ArrayList<>();
    private final MesosClouds.CloudState state = mock(MesosClouds.CloudState.class);
    private final MesosClouds clouds =
            new MesosClouds(
                    c -> {
                        SchedulerSession s = mock(SchedulerSession.class);
                        sessions.add(s);
                        return s;
                    },
                    state);
    private final StepContext context = mock(StepContext.class);
    private final BodyInvoker invoker = mock(BodyInvoker.class, RETURNS_SELF);
    private final BodyExecution body = mock(BodyExecution.class);
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final AtomicReference<Map<String, String>> environment = new AtomicReference<>();
    private final List<MesosCloud> configured = new ArrayList<>();
    private MockedStatic<ExtensionList> extensions;
    private MockedStatic<Jenkins> jenkins;
    private MockedStatic<EnvironmentExpander> expanders;
    private MockedConstruction<AbortException> aborts;
    private MesosCloud cloud;

    @BeforeEach
    void doubles() throws Exception {
        extensions = mockStatic(ExtensionList.class);
        extensions.when(() -> ExtensionList.lookupSingleton(MesosClouds.class)).thenReturn(clouds);
        Jenkins controller = mock(Jenkins.class);
        Hudson.CloudList list = mock(Hudson.CloudList.class);
        when(list.getAll(MesosCloud.class)).thenAnswer(i -> List.copyOf(configured));
        var field = Jenkins.class.getDeclaredField("clouds");
        field.setAccessible(true);
        field.set(controller, list);
        jenkins = mockStatic(Jenkins.class);
        jenkins.when(Jenkins::get).thenReturn(controller);
        expanders = mockStatic(EnvironmentExpander.class);
        expanders
                .when(() -> EnvironmentExpander.constant(anyMap()))
                .thenAnswer(
                        i -> {
                            environment.set(i.getArgument(0));
                            return mock(EnvironmentExpander.class);
                        });
        expanders
                .when(() -> EnvironmentExpander.merge(any(), any()))
                .thenAnswer(i -> i.getArgument(1));
        aborts =
                mockConstruction(
                        AbortException.class,
                        (e, c) -> {
                            when(e.getMessage()).thenReturn((String) c.arguments().get(0));
                            // Mockito reads the stack of what a spied method throws
                            when(e.getStackTrace()).thenReturn(new StackTraceElement[0]);
                        });

        Run<?, ?> run = mock(Run.class);
        Job<?, ?> job = mock(Job.class);
        when(job.getFullName()).thenReturn("team/app");
        doReturn(job).when(run).getParent();
        when(run.getNumber()).thenReturn(7);
        TaskListener listener = mock(TaskListener.class);
        when(listener.getLogger()).thenReturn(new PrintStream(log, true, StandardCharsets.UTF_8));
        doReturn(run).when(context).get(Run.class);
        when(context.get(TaskListener.class)).thenReturn(listener);
        when(context.newBodyInvoker()).thenReturn(invoker);
        when(invoker.start()).thenReturn(body);

        cloud = mock(MesosCloud.class, CALLS_REAL_METHODS);
        cloud.name = "mesos";
        cloud.setJenkinsUrl("http://jenkins.example.com/");
        MesosAgentTemplate maven = new MesosAgentTemplate("maven");
        maven.setLabelString("maven");
        maven.setMemMb("8192");
        maven.setContainer(new ContainerSettings("MESOS", "docker.io/library/maven:3"));
        cloud.setTemplates(List.of(maven));
        cloud.setJenkinsfileMaxCpus("4");
        configured.add(cloud);
        when(state.configured("mesos")).thenAnswer(i -> configured.isEmpty() ? null : cloud);
    }

    @AfterEach
    void close() {
        extensions.close();
        jenkins.close();
        expanders.close();
        aborts.close();
    }

    private MesosAgentStep.Execution execution(MesosAgentStep step) throws Exception {
        // the stand-in's StepExecution constructor cannot run: build it around the real methods
        MesosAgentStep.Execution execution =
                mock(MesosAgentStep.Execution.class, CALLS_REAL_METHODS);
        var field = MesosAgentStep.Execution.class.getDeclaredField("step");
        field.setAccessible(true);
        field.set(execution, step);
        doReturn(context).when(execution).getContext();
        return execution;
    }

    private static MesosAgentStep step() {
        MesosAgentStep step = new MesosAgentStep();
        step.setInheritFrom("maven");
        step.setCpus(2.0);
        step.setImage("maven:3-eclipse-temurin-17");
        return step;
    }

    /** Starts the block; returns the template name its Cleanup callback was made for. */
    private String startBlock(MesosAgentStep.Execution execution) throws Exception {
        try (MockedConstruction<MesosAgentStep.Cleanup> cleanups =
                mockConstruction(MesosAgentStep.Cleanup.class)) {
            assertThat(execution.start()).isFalse(); // asynchronous: the body runs
            assertThat(cleanups.constructed()).hasSize(1);
            verify(invoker).withCallback(cleanups.constructed().get(0));
        }
        return execution.templateName;
    }

    @Test
    void theBlockRunsWithItsOwnLabelAndItsTemplateServesOnlyThatLabel() throws Exception {
        MesosAgentStep.Execution execution = execution(step());
        String name = startBlock(execution);

        assertThat(name).matches("jf-team-app-7-[a-z0-9]{5}");
        assertThat(environment.get()).isEqualTo(Map.of("MESOS_LABEL", name));
        assertThat(execution.label).isEqualTo(name);
        assertThat(execution.cloudName).isEqualTo("mesos");
        TemplateSettings declared = clouds.jenkinsfileTemplates("mesos").get(0);
        assertThat(declared.cpus()).isEqualTo(2.0);
        assertThat(declared.memMb()).isEqualTo(8192); // inherited from maven
        assertThat(declared.singleUse()).isTrue();
        ArgumentCaptor<AgentTemplate> added = ArgumentCaptor.forClass(AgentTemplate.class);
        verify(sessions.get(0)).addTemplate(added.capture());
        assertThat(added.getValue().name()).isEqualTo(name);
        assertThat(added.getValue().container().image()).isEqualTo("maven:3-eclipse-temurin-17");
        assertThat(log.toString(StandardCharsets.UTF_8))
                .contains("mesosAgent: template " + name + " on Mesos cloud mesos (cpus 2.0");

        // the cloud provisions the block's label from the block's template
        try (MockedStatic<Label> labels = mockStatic(Label.class)) {
            Set<LabelAtom> atoms = Set.of(mock(LabelAtom.class));
            labels.when(() -> Label.parse(name)).thenReturn(atoms);
            labels.when(() -> Label.parse("maven")).thenReturn(Set.of());
            Label label = mock(Label.class);
            when(label.matches(atoms)).thenReturn(true);
            MesosAgentTemplate serving = cloud.templateFor(label);
            assertThat(serving.getName()).isEqualTo(name);
            assertThat(serving.isSingleUse()).isTrue();
            assertThat(serving.getMode()).isEqualTo(hudson.model.Node.Mode.EXCLUSIVE);
        }
    }

    @Test
    void whenTheBodyEndsTheTemplateGoesWithItsTasksAndNodes() throws Exception {
        MesosAgentStep.Execution execution = execution(step());
        String name = startBlock(execution);

        // success and failure both end in the callback's finished()
        MesosAgentStep.Cleanup.end("mesos", name);

        verify(sessions.get(0)).removeTemplate(name);
        verify(state).removeAgents("mesos", name);
        assertThat(clouds.jenkinsfileTemplates("mesos")).isEmpty();
    }

    @Test
    void anAbortEndsTheAgentsAtOnceAndCancelsTheBody() throws Exception {
        MesosAgentStep.Execution execution = execution(step());
        String name = startBlock(execution);
        Throwable cause = new InterruptedException("aborted by user");

        execution.stop(cause);

        verify(sessions.get(0)).removeTemplate(name);
        verify(state).removeAgents("mesos", name);
        verify(body).cancel(cause);
        assertThat(clouds.jenkinsfileTemplates("mesos")).isEmpty();
    }

    @Test
    void afterARestartTheTemplateIsRestoredIntoTheNewSession() throws Exception {
        MesosAgentStep.Execution execution = execution(step());
        String name = startBlock(execution);
        TemplateSettings before = clouds.jenkinsfileTemplates("mesos").get(0);

        // Jenkins restarts: a new registry and new sessions; the execution kept only its fields
        MesosClouds restarted =
                new MesosClouds(
                        c -> {
                            SchedulerSession s = mock(SchedulerSession.class);
                            sessions.add(s);
                            return s;
                        },
                        state);
        extensions
                .when(() -> ExtensionList.lookupSingleton(MesosClouds.class))
                .thenReturn(restarted);
        MesosAgentStep.Execution resumed = execution(null);
        resumed.cloudName = execution.cloudName;
        resumed.templateName = execution.templateName;
        resumed.label = execution.label;
        resumed.template = new java.util.HashMap<>(execution.template);
        resumed.body = body;

        resumed.onResume();

        assertThat(restarted.jenkinsfileTemplates("mesos")).containsExactly(before);
        verify(sessions.get(1)).addTemplate(any(AgentTemplate.class));
        verify(body, never()).cancel(any(Throwable.class));

        MesosAgentStep.Cleanup.end("mesos", name);
        verify(sessions.get(1)).removeTemplate(name);
    }

    @Test
    void afterARestartATemplateThatCannotBeRestoredEndsItsAgentsAndTheBlock() throws Exception {
        MesosAgentStep.Execution execution = execution(step());
        String name = startBlock(execution);
        configured.clear(); // the cloud was deleted while Jenkins was down

        execution.onResume();

        verify(state).removeAgents("mesos", name);
        ArgumentCaptor<Throwable> why = ArgumentCaptor.forClass(Throwable.class);
        verify(body).cancel(why.capture());
        assertThat(why.getValue().getMessage())
                .contains("could not be restored after the restart")
                .contains("there is no Mesos cloud named 'mesos'");
    }

    @Test
    void aTemplateTheCloudRefusesFailsAtOnceWithTheRuleAndTheValueAndAddsNothing()
            throws Exception {
        MesosAgentStep tooBig = step();
        tooBig.setCpus(16.0);
        assertThatThrownBy(() -> execution(tooBig).start())
                .isInstanceOf(AbortException.class)
                .hasMessage(
                        "mesosAgent: Mesos cloud mesos refuses this template: cpus 16 is above this"
                            + " cloud's limit for Jenkinsfile templates (jenkinsfileMaxCpus: 4)");

        MesosAgentStep privileged = step();
        privileged.setType("DOCKER");
        privileged.setPrivileged(true);
        assertThatThrownBy(() -> execution(privileged).start())
                .hasMessageContaining("container.privileged: privileged container is not allowed");

        MesosAgentStep unknownParent = step();
        unknownParent.setInheritFrom("gradle");
        assertThatThrownBy(() -> execution(unknownParent).start())
                .hasMessage(
                        "mesosAgent: inheritFrom: Mesos cloud mesos has no template named 'gradle';"
                                + " its templates: [maven]");

        cloud.setJenkinsfileTemplates("NONE");
        assertThatThrownBy(() -> execution(step()).start())
                .hasMessageContaining("(jenkinsfileTemplates: NONE)");

        assertThat(clouds.jenkinsfileTemplates("mesos")).isEmpty();
        assertThat(sessions).isEmpty(); // no session was even asked
        verify(context, never()).newBodyInvoker();
    }

    @Test
    void theStepsArgumentsAreExactlyTheJenkinsfileTemplateArguments() {
        Set<String> setters = new java.util.TreeSet<>();
        for (var m : MesosAgentStep.class.getMethods()) {
            if (m.isAnnotationPresent(org.kohsuke.stapler.DataBoundSetter.class)) {
                String n = m.getName().substring(3);
                setters.add(Character.toLowerCase(n.charAt(0)) + n.substring(1));
            }
        }
        Set<String> expected =
                new java.util.TreeSet<>(
                        io.jenkins.plugins.mesosagents.settings.JenkinsfileTemplate
                                .argumentNames());
        expected.remove("container"); // a map: the step takes the container's keys directly
        assertThat(setters).isEqualTo(expected);
    }
}
