package io.jenkins.plugins.mesosagents.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.mockConstruction;
import static org.mockito.Mockito.when;

import hudson.model.Descriptor;
import hudson.model.Node;

import io.jenkins.plugins.mesosagents.settings.AgentEdits;

import net.sf.json.JSONObject;

import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.StaplerRequest2;
import org.mockito.MockedConstruction;

import java.util.ArrayList;
import java.util.List;

/**
 * Saving a Mesos agent's Configure page: core's Computer.doConfigSubmit calls Node.reconfigure with
 * the submitted form; the agent comes back as the same task with only the editable fields changed.
 * The agent and the form are doubled by Mockito (the Jenkins API stand-in has no behaviour).
 */
class MesosAgentConfigureTest {
    private final MesosAgent agent = mock(MesosAgent.class, CALLS_REAL_METHODS);
    private final JSONObject form = mock(JSONObject.class);

    MesosAgentConfigureTest() {
        doReturn("mesos-linux-1a2b3c4d").when(agent).getNodeName();
        doReturn("Mesos agent (cloud mesos, template linux)").when(agent).getNodeDescription();
        doReturn("linux").when(agent).getLabelString();
        doReturn(1).when(agent).getNumExecutors();
        doReturn(Node.Mode.EXCLUSIVE).when(agent).getMode();
        when(form.optString(anyString(), anyString())).thenAnswer(call -> call.getArgument(1));
    }

    @Test
    void theEditableFieldsComeFromTheFormAndTheTaskStaysTheSame() throws Exception {
        when(form.optString(eq("nodeDescription"), anyString())).thenReturn("release builds");
        when(form.optString(eq("numExecutors"), anyString())).thenReturn("3");
        when(form.optString(eq("labelString"), anyString())).thenReturn("linux release");
        when(form.optString(eq("mode"), anyString())).thenReturn("NORMAL");
        // fields the page shows read-only are never read back, even when a POST carries them
        when(form.optString(eq("cloudName"), anyString())).thenReturn("other-cloud");

        List<List<?>> constructed = new ArrayList<>();
        try (MockedConstruction<MesosAgent> agents =
                mockConstruction(
                        MesosAgent.class,
                        (copy, context) -> constructed.add(context.arguments()))) {
            Node result = agent.reconfigure(mock(StaplerRequest2.class), form);

            assertThat(result).isSameAs(agents.constructed().get(0));
        }
        assertThat(constructed).hasSize(1);
        assertThat(constructed.get(0).get(0)).isSameAs(agent);
        AgentEdits edits = (AgentEdits) constructed.get(0).get(1);
        assertThat(edits)
                .isEqualTo(
                        new AgentEdits("release builds", 3, "linux release", "NORMAL", List.of()));
    }

    @Test
    void anEmptyFormKeepsTheCurrentValues() throws Exception {
        try (MockedConstruction<MesosAgent> agents = mockConstruction(MesosAgent.class)) {
            agent.reconfigure(mock(StaplerRequest2.class), form);
            assertThat(agents.constructed()).hasSize(1);
        }
        AgentEdits kept =
                AgentEdits.parse(
                        "Mesos agent (cloud mesos, template linux)",
                        "",
                        "linux",
                        "",
                        1,
                        "EXCLUSIVE");
        assertThat(kept.numExecutors()).isEqualTo(1);
        assertThat(kept.mode()).isEqualTo("EXCLUSIVE");
        assertThat(kept.problems()).isEmpty();
    }

    @Test
    void badEditsAreNamedWithTheirField() {
        AgentEdits edits = AgentEdits.parse("", "abc", "", "SOMETIMES", 1, "EXCLUSIVE");
        assertThat(edits.problems())
                .extracting(p -> p.field() + ": " + p.message())
                .containsExactly(
                        "numExecutors: 'abc' is not a whole number (e.g. 0, 1 or 10)",
                        "mode: unknown usage 'SOMETIMES'; use NORMAL or EXCLUSIVE");
        assertThat(AgentEdits.parse("", "0", "", "", 1, "EXCLUSIVE").problems())
                .extracting(p -> p.message())
                .containsExactly("must be between 1 and 100; was 0");
    }

    @Test
    void aNullFormIsNoChangeAsInCore() throws Exception {
        // Node.reconfigureImpl: "if (form == null) return null;" (jenkins-2.479.3 Node.java:583)
        assertThat(agent.reconfigure(mock(StaplerRequest2.class), null)).isNull();
    }

    @Test
    void aNewNameIsRefusedOnTheNameField() {
        AgentEdits fine = AgentEdits.parse("", "", "linux", "", 1, "EXCLUSIVE");

        MesosAgent.FormRefusal refusal =
                MesosAgent.refusal("mesos-linux-1a2b3c4d", " my-agent ", fine);

        assertThat(refusal.field()).isEqualTo("name");
        assertThat(refusal.message())
                .isEqualTo(
                        "mesos-linux-1a2b3c4d is the name of its Mesos task and cannot be renamed"
                                + " to 'my-agent'; change the description or labels instead");
        // the name box as it was (whitespace around it is not a rename), or no name at all
        assertThat(MesosAgent.refusal("mesos-linux-1a2b3c4d", " mesos-linux-1a2b3c4d ", fine))
                .isNull();
        assertThat(MesosAgent.refusal("mesos-linux-1a2b3c4d", null, fine)).isNull();
    }

    @Test
    void theFirstBadEditIsRefusedOnItsField() {
        AgentEdits bad = AgentEdits.parse("", "abc", "", "SOMETIMES", 1, "EXCLUSIVE");

        MesosAgent.FormRefusal refusal = MesosAgent.refusal("mesos-linux-1a2b3c4d", null, bad);

        assertThat(refusal)
                .isEqualTo(
                        new MesosAgent.FormRefusal(
                                "mesos-linux-1a2b3c4d: numExecutors 'abc' is not a whole number"
                                        + " (e.g. 0, 1 or 10)",
                                "numExecutors"));
    }

    @Test
    void reconfigureThrowsTheRefusalAndKeepsTheAgent() {
        when(form.optString(eq("name"), anyString())).thenReturn("renamed");
        List<List<?>> refusals = new ArrayList<>();
        Throwable thrown;
        try (MockedConstruction<Descriptor.FormException> exceptions =
                        mockConstruction(
                                Descriptor.FormException.class,
                                (e, context) -> refusals.add(context.arguments()));
                MockedConstruction<MesosAgent> agents = mockConstruction(MesosAgent.class)) {
            // the stand-in's FormException constructor throws, so it is constructed as a Mockito
            // double; throwing a mocked Throwable then fails inside Mockito, hence no isSameAs
            thrown = catchThrowable(() -> agent.reconfigure(mock(StaplerRequest2.class), form));

            assertThat(exceptions.constructed()).hasSize(1);
            assertThat(agents.constructed()).isEmpty();
        }
        assertThat(thrown).isNotNull();
        assertThat(refusals)
                .containsExactly(
                        List.of(
                                "mesos-linux-1a2b3c4d is the name of its Mesos task and cannot be"
                                        + " renamed to 'renamed'; change the description or"
                                        + " labels instead",
                                "name"));
    }
}
