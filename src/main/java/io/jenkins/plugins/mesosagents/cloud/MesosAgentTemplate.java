package io.jenkins.plugins.mesosagents.cloud;

import hudson.Extension;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.model.Node;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;

import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.InvalidTemplateException;
import io.jenkins.plugins.mesosagents.engine.SecretValue;
import io.jenkins.plugins.mesosagents.engine.TemplateProblem;
import io.jenkins.plugins.mesosagents.settings.TemplateSettings;
import io.jenkins.plugins.mesosagents.settings.TemplateText;

import jenkins.YesNoMaybe;
import jenkins.model.Jenkins;

import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

import java.util.List;

/**
 * One kind of Mesos agent a {@link MesosCloud} can launch for a label: resources, container,
 * placement and lifecycle, as entered on the cloud's configuration page. XStream persists the
 * fields; {@link #toAgentTemplate()} turns them (through {@link TemplateSettings}) into the
 * engine's validated, immutable {@link AgentTemplate}, reporting every problem with its field.
 */
public class MesosAgentTemplate extends AbstractDescribableImpl<MesosAgentTemplate> {
    private final String name;
    private String labelString = "";
    private Node.Mode mode = Node.Mode.EXCLUSIVE;
    private double cpus = 1.0;
    private double memMb = 1024;
    private int jvmHeapMb;
    private double diskMb;
    private int gpus;
    private int hostPorts;
    private String role = AgentTemplate.DEFAULT_ROLE;
    private String user = "";
    private int executors = 1;
    private String remoteFsRoot = AgentTemplate.DEFAULT_REMOTE_FS;
    private String jvmOptions = "";
    private String agentArguments = "";
    private String environment = "";
    private String fetchUris = "";
    private ContainerSettings container;
    private String constraints = "";
    private String faultDomain = "HOME_REGION";
    private String region = "";
    private String zone = "";
    private int instanceCap;
    private int idleTerminationMinutes = 3;
    private boolean singleUse;
    private int launchTimeoutSeconds = (int) AgentTemplate.DEFAULT_LAUNCH_TIMEOUT.toSeconds();
    private boolean webSocket = true;

    @DataBoundConstructor
    public MesosAgentTemplate(String name) {
        this.name = name == null ? "" : name.trim();
    }

    /** The engine's template, for a template without image pull credentials. */
    public AgentTemplate toAgentTemplate() {
        return toAgentTemplate(null);
    }

    /**
     * The engine's template.
     *
     * @param pullConfig the Docker config JSON with the container's pull credentials, which the
     *     cloud resolves from the credentials store; null for none
     * @throws InvalidTemplateException listing every problem, each with its form field
     */
    public AgentTemplate toAgentTemplate(SecretValue pullConfig) {
        return settings().toAgentTemplate(pullConfig);
    }

    /** This template's fields as plain values, for the one conversion into the engine's. */
    public TemplateSettings settings() {
        return TemplateSettings.builder(name)
                .labelString(labelString)
                .mode(mode == null ? null : mode.name())
                .cpus(cpus)
                .memMb(memMb)
                .jvmHeapMb(jvmHeapMb)
                .diskMb(diskMb)
                .gpus(gpus)
                .hostPorts(hostPorts)
                .role(role)
                .user(user)
                .executors(executors)
                .remoteFsRoot(remoteFsRoot)
                .jvmOptions(jvmOptions)
                .agentArguments(agentArguments)
                .environment(environment)
                .fetchUris(fetchUris)
                .container(container == null ? null : container.settings())
                .constraints(constraints)
                .faultDomain(faultDomain)
                .region(region)
                .zone(zone)
                .instanceCap(instanceCap)
                .idleTerminationMinutes(idleTerminationMinutes)
                .singleUse(singleUse)
                .launchTimeoutSeconds(launchTimeoutSeconds)
                .webSocket(webSocket)
                .build();
    }

    public String getName() {
        return name;
    }

    public String getLabelString() {
        return labelString;
    }

    @DataBoundSetter
    public void setLabelString(String labelString) {
        this.labelString = labelString == null ? "" : labelString.trim();
    }

    public Node.Mode getMode() {
        return mode;
    }

    @DataBoundSetter
    public void setMode(Node.Mode mode) {
        this.mode = mode == null ? Node.Mode.EXCLUSIVE : mode;
    }

    public double getCpus() {
        return cpus;
    }

    @DataBoundSetter
    public void setCpus(double cpus) {
        this.cpus = cpus;
    }

    public double getMemMb() {
        return memMb;
    }

    @DataBoundSetter
    public void setMemMb(double memMb) {
        this.memMb = memMb;
    }

    public int getJvmHeapMb() {
        return jvmHeapMb;
    }

    @DataBoundSetter
    public void setJvmHeapMb(int jvmHeapMb) {
        this.jvmHeapMb = jvmHeapMb;
    }

    public double getDiskMb() {
        return diskMb;
    }

    @DataBoundSetter
    public void setDiskMb(double diskMb) {
        this.diskMb = diskMb;
    }

    public int getGpus() {
        return gpus;
    }

    @DataBoundSetter
    public void setGpus(int gpus) {
        this.gpus = gpus;
    }

    public int getHostPorts() {
        return hostPorts;
    }

    @DataBoundSetter
    public void setHostPorts(int hostPorts) {
        this.hostPorts = hostPorts;
    }

    public String getRole() {
        return role;
    }

    @DataBoundSetter
    public void setRole(String role) {
        this.role = role == null || role.isBlank() ? AgentTemplate.DEFAULT_ROLE : role.trim();
    }

    public String getUser() {
        return user;
    }

    @DataBoundSetter
    public void setUser(String user) {
        this.user = user == null ? "" : user.trim();
    }

    public int getExecutors() {
        return executors;
    }

    @DataBoundSetter
    public void setExecutors(int executors) {
        this.executors = executors;
    }

    public String getRemoteFsRoot() {
        return remoteFsRoot;
    }

    @DataBoundSetter
    public void setRemoteFsRoot(String remoteFsRoot) {
        this.remoteFsRoot =
                remoteFsRoot == null || remoteFsRoot.isBlank()
                        ? AgentTemplate.DEFAULT_REMOTE_FS
                        : remoteFsRoot.trim();
    }

    public String getJvmOptions() {
        return jvmOptions;
    }

    @DataBoundSetter
    public void setJvmOptions(String jvmOptions) {
        this.jvmOptions = jvmOptions == null ? "" : jvmOptions.trim();
    }

    public String getAgentArguments() {
        return agentArguments;
    }

    @DataBoundSetter
    public void setAgentArguments(String agentArguments) {
        this.agentArguments = agentArguments == null ? "" : agentArguments.trim();
    }

    public String getEnvironment() {
        return environment;
    }

    @DataBoundSetter
    public void setEnvironment(String environment) {
        this.environment = environment == null ? "" : environment;
    }

    public String getFetchUris() {
        return fetchUris;
    }

    @DataBoundSetter
    public void setFetchUris(String fetchUris) {
        this.fetchUris = fetchUris == null ? "" : fetchUris;
    }

    public ContainerSettings getContainer() {
        return container;
    }

    /** Null: a plain command task on the agent host. */
    @DataBoundSetter
    public void setContainer(ContainerSettings container) {
        this.container = container;
    }

    public String getConstraints() {
        return constraints;
    }

    @DataBoundSetter
    public void setConstraints(String constraints) {
        this.constraints = constraints == null ? "" : constraints;
    }

    public String getFaultDomain() {
        return faultDomain;
    }

    @DataBoundSetter
    public void setFaultDomain(String faultDomain) {
        this.faultDomain =
                faultDomain == null || faultDomain.isBlank() ? "HOME_REGION" : faultDomain.trim();
    }

    public String getRegion() {
        return region;
    }

    @DataBoundSetter
    public void setRegion(String region) {
        this.region = region == null ? "" : region.trim();
    }

    public String getZone() {
        return zone;
    }

    @DataBoundSetter
    public void setZone(String zone) {
        this.zone = zone == null ? "" : zone.trim();
    }

    public int getInstanceCap() {
        return instanceCap;
    }

    @DataBoundSetter
    public void setInstanceCap(int instanceCap) {
        this.instanceCap = instanceCap;
    }

    public int getIdleTerminationMinutes() {
        return idleTerminationMinutes;
    }

    @DataBoundSetter
    public void setIdleTerminationMinutes(int idleTerminationMinutes) {
        this.idleTerminationMinutes = idleTerminationMinutes;
    }

    public boolean isSingleUse() {
        return singleUse;
    }

    @DataBoundSetter
    public void setSingleUse(boolean singleUse) {
        this.singleUse = singleUse;
    }

    public int getLaunchTimeoutSeconds() {
        return launchTimeoutSeconds;
    }

    @DataBoundSetter
    public void setLaunchTimeoutSeconds(int launchTimeoutSeconds) {
        this.launchTimeoutSeconds = launchTimeoutSeconds;
    }

    public boolean isWebSocket() {
        return webSocket;
    }

    @DataBoundSetter
    public void setWebSocket(boolean webSocket) {
        this.webSocket = webSocket;
    }

    /** The descriptor: the template's section of the cloud form and its validation. */
    @Extension(dynamicLoadable = YesNoMaybe.YES)
    @Symbol("mesosAgentTemplate")
    public static final class DescriptorImpl extends Descriptor<MesosAgentTemplate> {
        @Override
        public String getDisplayName() {
            return "Mesos agent template";
        }

        @POST
        public FormValidation doCheckConstraints(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return problems(TemplateText.constraints("constraints", value).problems());
        }

        @POST
        public FormValidation doCheckEnvironment(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return problems(TemplateText.environment("environment", value).problems());
        }

        @POST
        public FormValidation doCheckFetchUris(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return problems(TemplateText.fetchUris("fetchUris", value).problems());
        }

        public ListBoxModel doFillFaultDomainItems() {
            return options(
                    "HOME_REGION",
                    "The master's home region",
                    "ANY",
                    "Any region",
                    "REGION",
                    "A given region/zone");
        }

        static ListBoxModel options(String... valueAndName) {
            ListBoxModel model = new ListBoxModel();
            for (int i = 0; i < valueAndName.length; i += 2) {
                model.add(valueAndName[i + 1], valueAndName[i]);
            }
            return model;
        }

        static FormValidation problems(List<TemplateProblem> problems) {
            return problems.isEmpty()
                    ? FormValidation.ok()
                    : FormValidation.error(
                            String.join(
                                    "\n",
                                    problems.stream().map(TemplateProblem::message).toList()));
        }
    }
}
