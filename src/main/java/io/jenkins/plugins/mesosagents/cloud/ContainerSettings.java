package io.jenkins.plugins.mesosagents.cloud;

import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;

import hudson.Extension;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;

import io.jenkins.plugins.mesosagents.settings.ContainerSetup;
import io.jenkins.plugins.mesosagents.settings.TemplateSettings;
import io.jenkins.plugins.mesosagents.settings.TemplateText;

import jenkins.YesNoMaybe;
import jenkins.model.Jenkins;

import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

import java.util.Locale;

/**
 * The container an agent template's tasks run in, when it has one: the Mesos containerizer running
 * a Docker image (with private-registry pull credentials) or the Docker containerizer with its
 * network, ports, volumes and raw {@code docker run} parameters. Problems are reported with their
 * field names, like the template's.
 */
public class ContainerSettings extends AbstractDescribableImpl<ContainerSettings> {
    private String type;
    private String image;
    private boolean useImageEntrypoint;
    private String network = "HOST";
    private String cniNetworks = "";
    private String portMappings = "";
    private boolean privileged;
    private boolean forcePull;
    private String dockerParameters = "";
    private String volumes = "";
    private String pullCredentialsId = "";
    private String pullSecretName = "";
    private boolean runAsTaskUser;

    @DataBoundConstructor
    public ContainerSettings(String type, String image) {
        this.type = type == null || type.isBlank() ? "MESOS" : type.trim().toUpperCase(Locale.ROOT);
        this.image = image == null ? "" : image.trim();
    }

    /**
     * Defaults for what an older {@code config.xml} does not have: XStream skips the constructor
     * and field initializers, so a field added later is null or 0 after loading.
     */
    protected Object readResolve() {
        type = type == null || type.isBlank() ? "MESOS" : type;
        image = image == null ? "" : image;
        network = network == null || network.isBlank() ? "HOST" : network;
        cniNetworks = orEmpty(cniNetworks);
        portMappings = orEmpty(portMappings);
        dockerParameters = orEmpty(dockerParameters);
        volumes = orEmpty(volumes);
        pullCredentialsId = orEmpty(pullCredentialsId);
        pullSecretName = orEmpty(pullSecretName);
        return this;
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    /** A container with these settings (see {@link MesosAgentTemplate#of}). */
    static ContainerSettings of(ContainerSetup s) {
        ContainerSettings c = new ContainerSettings(s.type(), s.image());
        c.useImageEntrypoint = s.useImageEntrypoint();
        c.network = s.network();
        c.cniNetworks = s.cniNetworks();
        c.portMappings = s.portMappings();
        c.privileged = s.privileged();
        c.forcePull = s.forcePull();
        c.dockerParameters = s.dockerParameters();
        c.volumes = s.volumes();
        c.pullCredentialsId = s.pullCredentialsId();
        c.pullSecretName = s.pullSecretName();
        c.runAsTaskUser = s.runAsTaskUser();
        return c;
    }

    /** These fields as plain values, for the one conversion into the engine's container. */
    public ContainerSetup settings() {
        return ContainerSetup.builder(type, image)
                .useImageEntrypoint(useImageEntrypoint)
                .network(network)
                .cniNetworks(cniNetworks)
                .portMappings(portMappings)
                .privileged(privileged)
                .forcePull(forcePull)
                .dockerParameters(dockerParameters)
                .volumes(volumes)
                .pullCredentialsId(pullCredentialsId)
                .pullSecretName(pullSecretName)
                .runAsTaskUser(runAsTaskUser)
                .build();
    }

    public String getType() {
        return type;
    }

    public String getImage() {
        return image;
    }

    public boolean isUseImageEntrypoint() {
        return useImageEntrypoint;
    }

    @DataBoundSetter
    public void setUseImageEntrypoint(boolean useImageEntrypoint) {
        this.useImageEntrypoint = useImageEntrypoint;
    }

    public String getNetwork() {
        return network;
    }

    @DataBoundSetter
    public void setNetwork(String network) {
        this.network = network == null || network.isBlank() ? "HOST" : network.trim();
    }

    public String getCniNetworks() {
        return cniNetworks;
    }

    @DataBoundSetter
    public void setCniNetworks(String cniNetworks) {
        this.cniNetworks = cniNetworks == null ? "" : cniNetworks;
    }

    public String getPortMappings() {
        return portMappings;
    }

    @DataBoundSetter
    public void setPortMappings(String portMappings) {
        this.portMappings = portMappings == null ? "" : portMappings;
    }

    public boolean isPrivileged() {
        return privileged;
    }

    @DataBoundSetter
    public void setPrivileged(boolean privileged) {
        this.privileged = privileged;
    }

    public boolean isForcePull() {
        return forcePull;
    }

    @DataBoundSetter
    public void setForcePull(boolean forcePull) {
        this.forcePull = forcePull;
    }

    public String getDockerParameters() {
        return dockerParameters;
    }

    @DataBoundSetter
    public void setDockerParameters(String dockerParameters) {
        this.dockerParameters = dockerParameters == null ? "" : dockerParameters;
    }

    public String getVolumes() {
        return volumes;
    }

    @DataBoundSetter
    public void setVolumes(String volumes) {
        this.volumes = volumes == null ? "" : volumes;
    }

    public String getPullCredentialsId() {
        return pullCredentialsId;
    }

    @DataBoundSetter
    public void setPullCredentialsId(String pullCredentialsId) {
        this.pullCredentialsId = pullCredentialsId == null ? "" : pullCredentialsId.trim();
    }

    public String getPullSecretName() {
        return pullSecretName;
    }

    /** A secret the agents' secret resolver holds (REFERENCE {@code Image.Docker.config}). */
    @DataBoundSetter
    public void setPullSecretName(String pullSecretName) {
        this.pullSecretName = pullSecretName == null ? "" : pullSecretName.trim();
    }

    public boolean isRunAsTaskUser() {
        return runAsTaskUser;
    }

    /** DOCKER containerizer: {@code docker run --user} the template's user. */
    @DataBoundSetter
    public void setRunAsTaskUser(boolean runAsTaskUser) {
        this.runAsTaskUser = runAsTaskUser;
    }

    /** The descriptor: the container section of a template's form. */
    @Extension(dynamicLoadable = YesNoMaybe.YES)
    @Symbol("mesosContainer")
    public static final class DescriptorImpl extends Descriptor<ContainerSettings> {
        @Override
        public String getDisplayName() {
            return "Container";
        }

        @POST
        public FormValidation doCheckImage(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return check("container.image", ContainerSetup.builder("MESOS", value));
        }

        @POST
        public FormValidation doCheckCniNetworks(
                @QueryParameter String value, @QueryParameter String network) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return check(
                    "container.cniNetworks",
                    ContainerSetup.builder("MESOS", "image").network(network).cniNetworks(value));
        }

        @POST
        public FormValidation doCheckPrivileged(
                @QueryParameter boolean value, @QueryParameter String type) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return check(
                    "container.privileged",
                    ContainerSetup.builder(type, "image").privileged(value));
        }

        @POST
        public FormValidation doCheckDockerParameters(
                @QueryParameter String value, @QueryParameter String type) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return check(
                    "container.dockerParameters",
                    ContainerSetup.builder(type, "image").dockerParameters(value));
        }

        /** The container rules of the engine, for one field (see {@link FieldCheck}). */
        private static FormValidation check(String field, ContainerSetup.Builder container) {
            return FieldCheck.template(
                    field, TemplateSettings.builder("t").container(container.build()));
        }

        @POST
        public FormValidation doCheckVolumes(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return MesosAgentTemplateDescriptor.problems(
                    TemplateText.volumes("volumes", value).problems());
        }

        @POST
        public FormValidation doCheckPortMappings(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return MesosAgentTemplateDescriptor.problems(
                    TemplateText.portMappings("portMappings", value).problems());
        }

        @POST
        public ListBoxModel doFillPullCredentialsIdItems(@QueryParameter String pullCredentialsId) {
            if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
                return new StandardListBoxModel().includeCurrentValue(pullCredentialsId);
            }
            return new StandardListBoxModel()
                    .includeEmptyValue()
                    .includeAs(ACL.SYSTEM2, (Item) null, StandardUsernamePasswordCredentials.class)
                    .includeCurrentValue(pullCredentialsId);
        }

        public ListBoxModel doFillTypeItems() {
            return MesosAgentTemplateDescriptor.options(
                    "MESOS",
                    "Mesos containerizer with a Docker image",
                    "DOCKER",
                    "Docker containerizer");
        }

        public ListBoxModel doFillNetworkItems() {
            return MesosAgentTemplateDescriptor.options(
                    "HOST", "Host", "BRIDGE", "Bridge", "USER", "User (CNI networks)");
        }
    }
}
