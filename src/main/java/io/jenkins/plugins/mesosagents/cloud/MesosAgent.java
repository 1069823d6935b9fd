package io.jenkins.plugins.mesosagents.cloud;

import hudson.Extension;
import hudson.model.Descriptor;
import hudson.model.TaskListener;
import hudson.slaves.AbstractCloudComputer;
import hudson.slaves.AbstractCloudSlave;

import jenkins.YesNoMaybe;

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

    public String getCloudName() {
        return cloudName;
    }

    public String getTemplateName() {
        return templateName;
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
