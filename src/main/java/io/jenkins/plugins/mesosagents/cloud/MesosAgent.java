package io.jenkins.plugins.mesosagents.cloud;

import hudson.Extension;
import hudson.model.Descriptor;
import hudson.model.Node;
import hudson.model.TaskListener;
import hudson.slaves.AbstractCloudComputer;
import hudson.slaves.AbstractCloudSlave;

import io.jenkins.plugins.mesosagents.engine.LaunchedAgent;
import io.jenkins.plugins.mesosagents.engine.TemplateProblem;
import io.jenkins.plugins.mesosagents.settings.AgentEdits;

import jenkins.YesNoMaybe;

import net.sf.json.JSONObject;

import org.kohsuke.stapler.StaplerRequest2;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A Jenkins node backed by one Mesos task. Persisted (so a running build survives a Jenkins
 * restart: the task keeps running and the agent reconnects) with the names of its cloud and
 * template, never the cloud object itself. Terminating it releases the task through the cloud's
 * scheduler session.
 */
public class MesosAgent extends AbstractCloudSlave {
    private static final Logger LOGGER = Logger.getLogger(MesosAgent.class.getName());
    private static final long serialVersionUID = 1L;

    private String cloudName;
    private final String templateName;

    /** Its task once it ran, for per-build accounting; null before (and for older agents). */
    private volatile TaskFacts taskFacts;

    MesosAgent(String name, String cloudName, MesosAgentTemplate template, MesosLauncher launcher)
            throws Descriptor.FormException, IOException {
        super(name, template.getRemoteFsRoot(), launcher);
        this.cloudName = cloudName;
        this.templateName = template.getName();
        setNodeDescription(
                "Mesos agent (cloud " + cloudName + ", template " + template.getName() + ")");
        setNumExecutors(template.getExecutors());
        setMode(template.getMode());
        setLabelString(template.getLabelString());
        setRetentionStrategy(
                new MesosRetentionStrategy(
                        template.getIdleTerminationMinutes(), template.isSingleUse()));
    }

    /**
     * The agent after its Configure page was saved: the same Mesos task (name, cloud, template,
     * remote root, launcher, retention) with the editable fields from the form. Core's
     * Computer.doConfigSubmit (jenkins-2.479.3 core/src/main/java/hudson/model/Computer.java:1533)
     * calls this and replaces the node with the result; core's own implementation
     * (Node.java:565-605) would instead bind a whole new node from the form through
     * Descriptor.newInstance, i.e. a {@code @DataBoundConstructor} (Descriptor.java:615), and this
     * class has none on purpose: its cloud and template would then come from the POST, so a user
     * with Computer.CONFIGURE could re-point a task to another cloud. Here they stay server-side,
     * and only {@link AgentEdits}' fields are read from the form.
     */
    @Override
    public Node reconfigure(StaplerRequest2 req, JSONObject form) throws Descriptor.FormException {
        if (form == null) {
            return null;
        }
        AgentEdits edits =
                AgentEdits.parse(
                        form.optString("nodeDescription", getNodeDescription()),
                        form.optString("numExecutors", ""),
                        form.optString("labelString", getLabelString()),
                        form.optString("mode", ""),
                        getNumExecutors(),
                        getMode().name());
        FormRefusal refusal = refusal(getNodeName(), form.optString("name", getNodeName()), edits);
        if (refusal != null) {
            throw new Descriptor.FormException(refusal.message(), refusal.field());
        }
        try {
            return new MesosAgent(this, edits);
        } catch (IOException e) {
            throw new Descriptor.FormException(
                    "Could not save " + getNodeName() + ": " + e.getMessage(), e, "name");
        }
    }

    /** Why a Configure form cannot be saved: the message and the form field it is about. */
    record FormRefusal(String message, String field) {}

    /**
     * The refusal {@link #reconfigure} turns into a FormException, or null when the form can be
     * saved: a new name (the node's name is its Mesos task's), then the first bad edit.
     */
    static FormRefusal refusal(String nodeName, String proposedName, AgentEdits edits) {
        String proposed = proposedName == null ? nodeName : proposedName.strip();
        if (!proposed.equals(nodeName)) {
            return new FormRefusal(
                    nodeName
                            + " is the name of its Mesos task and cannot be renamed to '"
                            + proposed
                            + "'; change the description or labels instead",
                    "name");
        }
        if (!edits.problems().isEmpty()) {
            TemplateProblem first = edits.problems().get(0);
            return new FormRefusal(
                    nodeName + ": " + first.field() + " " + first.message(), first.field());
        }
        return null;
    }

    private MesosAgent(MesosAgent from, AgentEdits edits)
            throws Descriptor.FormException, IOException {
        super(from.getNodeName(), from.getRemoteFS(), from.getLauncher());
        this.cloudName = from.cloudName;
        this.templateName = from.templateName;
        this.taskFacts = from.taskFacts;
        setNodeDescription(edits.nodeDescription());
        setNumExecutors(edits.numExecutors());
        setMode(Node.Mode.valueOf(edits.mode()));
        setLabelString(edits.labelString());
        setRetentionStrategy(from.getRetentionStrategy());
    }

    public String getCloudName() {
        return cloudName;
    }

    public String getTemplateName() {
        return templateName;
    }

    TaskFacts taskFacts() {
        return taskFacts;
    }

    /** Its task runs: remembered with the node (saved by the launcher once the agent is online). */
    void taskRunning(LaunchedAgent task) {
        taskFacts = TaskFacts.of(task);
    }

    /** Its cloud was renamed: the agent and its task now belong to the new name. */
    void movedToCloud(String newCloudName) {
        cloudName = newCloudName;
        setNodeDescription(
                "Mesos agent (cloud " + newCloudName + ", template " + templateName + ")");
        try {
            save();
        } catch (IOException e) {
            LOGGER.log(Level.WARNING, "Could not save agent " + getNodeName(), e);
        }
    }

    @Override
    public AbstractCloudComputer createComputer() {
        return new MesosComputer(this);
    }

    @Override
    protected void _terminate(TaskListener listener) {
        listener.getLogger().println("Releasing the Mesos task of " + getNodeName());
        try {
            MesosClouds.get().release(cloudName, getNodeName());
        } catch (RuntimeException e) {
            // the release is queued in the engine until it is subscribed; a failure here is a bug
            LOGGER.log(
                    Level.WARNING,
                    "Could not release the Mesos task of "
                            + getNodeName()
                            + " in cloud "
                            + cloudName,
                    e);
        }
    }

    /** Not offered under "New Node": Mesos agents are only created by their cloud. */
    @Extension(dynamicLoadable = YesNoMaybe.YES)
    public static final class DescriptorImpl extends SlaveDescriptor {
        @Override
        public String getDisplayName() {
            return "Mesos agent";
        }

        @Override
        public boolean isInstantiable() {
            return false;
        }
    }
}
