package io.jenkins.plugins.mesosagents.steps;

import hudson.Extension;

import io.jenkins.plugins.mesosagents.settings.DeclarativeAgentArgs;

import jenkins.YesNoMaybe;

import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.pipeline.modeldefinition.agent.DeclarativeAgentDescriptor;
import org.jenkinsci.plugins.pipeline.modeldefinition.agent.RetryableDeclarativeAgent;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The declarative {@code agent { mesosAgent { cpus 2; memMb 4096; image 'gradle:8-jdk17' } }}: its
 * fields as set in the Jenkinsfile (null: unset), turned into the {@code mesosAgent} step's
 * arguments by {@link DeclarativeAgentArgs} ({@link #getAsArgs}); {@code
 * MesosDeclarativeAgentScript.groovy} next to this class runs the stage's body in {@code
 * mesosAgent(args) { node(env.MESOS_LABEL) { … } }}. Only this class and its descriptor refer to
 * pipeline-model-extensions, an optional dependency: without it their extension fails to load
 * quietly ({@code optional = true}) and nothing else of the plugin notices.
 */
public class MesosDeclarativeAgent extends RetryableDeclarativeAgent<MesosDeclarativeAgent> {
    private static final long serialVersionUID = 1L;
    private Double cpus;
    private Double memMb;
    private Integer jvmHeapMb;
    private Double diskMb;
    private Integer gpus;
    private Integer hostPorts;
    private String role;
    private String user;
    private Integer executors;
    private String remoteFsRoot;
    private String jvmOptions;
    private String agentArguments;
    private String environment;
    private String fetchUris;
    private String constraints;
    private String faultDomain;
    private String region;
    private String zone;
    private Integer instanceCap;
    private Integer idleTerminationMinutes;
    private Boolean singleUse;
    private Integer launchTimeoutSeconds;
    private Boolean webSocket;
    private String containerType;
    private String image;
    private Boolean useImageEntrypoint;
    private String network;
    private String cniNetworks;
    private String portMappings;
    private Boolean privileged;
    private Boolean forcePull;
    private String dockerParameters;
    private String volumes;
    private Boolean runAsTaskUser;
    private String inheritFrom;
    private String cloud;
    private String customWorkspace;

    @DataBoundConstructor
    public MesosDeclarativeAgent() {}

    public Double getCpus() {
        return cpus;
    }

    @DataBoundSetter
    public void setCpus(Double cpus) {
        this.cpus = cpus;
    }

    public Double getMemMb() {
        return memMb;
    }

    @DataBoundSetter
    public void setMemMb(Double memMb) {
        this.memMb = memMb;
    }

    public Integer getJvmHeapMb() {
        return jvmHeapMb;
    }

    @DataBoundSetter
    public void setJvmHeapMb(Integer jvmHeapMb) {
        this.jvmHeapMb = jvmHeapMb;
    }

    public Double getDiskMb() {
        return diskMb;
    }

    @DataBoundSetter
    public void setDiskMb(Double diskMb) {
        this.diskMb = diskMb;
    }

    public Integer getGpus() {
        return gpus;
    }

    @DataBoundSetter
    public void setGpus(Integer gpus) {
        this.gpus = gpus;
    }

    public Integer getHostPorts() {
        return hostPorts;
    }

    @DataBoundSetter
    public void setHostPorts(Integer hostPorts) {
        this.hostPorts = hostPorts;
    }

    public String getRole() {
        return role;
    }

    @DataBoundSetter
    public void setRole(String role) {
        this.role = role;
    }

    public String getUser() {
        return user;
    }

    @DataBoundSetter
    public void setUser(String user) {
        this.user = user;
    }

    public Integer getExecutors() {
        return executors;
    }

    @DataBoundSetter
    public void setExecutors(Integer executors) {
        this.executors = executors;
    }

    public String getRemoteFsRoot() {
        return remoteFsRoot;
    }

    @DataBoundSetter
    public void setRemoteFsRoot(String remoteFsRoot) {
        this.remoteFsRoot = remoteFsRoot;
    }

    public String getJvmOptions() {
        return jvmOptions;
    }

    @DataBoundSetter
    public void setJvmOptions(String jvmOptions) {
        this.jvmOptions = jvmOptions;
    }

    public String getAgentArguments() {
        return agentArguments;
    }

    @DataBoundSetter
    public void setAgentArguments(String agentArguments) {
        this.agentArguments = agentArguments;
    }

    public String getEnvironment() {
        return environment;
    }

    @DataBoundSetter
    public void setEnvironment(String environment) {
        this.environment = environment;
    }

    public String getFetchUris() {
        return fetchUris;
    }

    @DataBoundSetter
    public void setFetchUris(String fetchUris) {
        this.fetchUris = fetchUris;
    }

    public String getConstraints() {
        return constraints;
    }

    @DataBoundSetter
    public void setConstraints(String constraints) {
        this.constraints = constraints;
    }

    public String getFaultDomain() {
        return faultDomain;
    }

    @DataBoundSetter
    public void setFaultDomain(String faultDomain) {
        this.faultDomain = faultDomain;
    }

    public String getRegion() {
        return region;
    }

    @DataBoundSetter
    public void setRegion(String region) {
        this.region = region;
    }

    public String getZone() {
        return zone;
    }

    @DataBoundSetter
    public void setZone(String zone) {
        this.zone = zone;
    }

    public Integer getInstanceCap() {
        return instanceCap;
    }

    @DataBoundSetter
    public void setInstanceCap(Integer instanceCap) {
        this.instanceCap = instanceCap;
    }

    public Integer getIdleTerminationMinutes() {
        return idleTerminationMinutes;
    }

    @DataBoundSetter
    public void setIdleTerminationMinutes(Integer idleTerminationMinutes) {
        this.idleTerminationMinutes = idleTerminationMinutes;
    }

    public Boolean getSingleUse() {
        return singleUse;
    }

    @DataBoundSetter
    public void setSingleUse(Boolean singleUse) {
        this.singleUse = singleUse;
    }

    public Integer getLaunchTimeoutSeconds() {
        return launchTimeoutSeconds;
    }

    @DataBoundSetter
    public void setLaunchTimeoutSeconds(Integer launchTimeoutSeconds) {
        this.launchTimeoutSeconds = launchTimeoutSeconds;
    }

    public Boolean getWebSocket() {
        return webSocket;
    }

    @DataBoundSetter
    public void setWebSocket(Boolean webSocket) {
        this.webSocket = webSocket;
    }

    public String getContainerType() {
        return containerType;
    }

    @DataBoundSetter
    public void setContainerType(String containerType) {
        this.containerType = containerType;
    }

    public String getImage() {
        return image;
    }

    @DataBoundSetter
    public void setImage(String image) {
        this.image = image;
    }

    public Boolean getUseImageEntrypoint() {
        return useImageEntrypoint;
    }

    @DataBoundSetter
    public void setUseImageEntrypoint(Boolean useImageEntrypoint) {
        this.useImageEntrypoint = useImageEntrypoint;
    }

    public String getNetwork() {
        return network;
    }

    @DataBoundSetter
    public void setNetwork(String network) {
        this.network = network;
    }

    public String getCniNetworks() {
        return cniNetworks;
    }

    @DataBoundSetter
    public void setCniNetworks(String cniNetworks) {
        this.cniNetworks = cniNetworks;
    }

    public String getPortMappings() {
        return portMappings;
    }

    @DataBoundSetter
    public void setPortMappings(String portMappings) {
        this.portMappings = portMappings;
    }

    public Boolean getPrivileged() {
        return privileged;
    }

    @DataBoundSetter
    public void setPrivileged(Boolean privileged) {
        this.privileged = privileged;
    }

    public Boolean getForcePull() {
        return forcePull;
    }

    @DataBoundSetter
    public void setForcePull(Boolean forcePull) {
        this.forcePull = forcePull;
    }

    public String getDockerParameters() {
        return dockerParameters;
    }

    @DataBoundSetter
    public void setDockerParameters(String dockerParameters) {
        this.dockerParameters = dockerParameters;
    }

    public String getVolumes() {
        return volumes;
    }

    @DataBoundSetter
    public void setVolumes(String volumes) {
        this.volumes = volumes;
    }

    public Boolean getRunAsTaskUser() {
        return runAsTaskUser;
    }

    @DataBoundSetter
    public void setRunAsTaskUser(Boolean runAsTaskUser) {
        this.runAsTaskUser = runAsTaskUser;
    }

    public String getInheritFrom() {
        return inheritFrom;
    }

    @DataBoundSetter
    public void setInheritFrom(String inheritFrom) {
        this.inheritFrom = inheritFrom;
    }

    public String getCloud() {
        return cloud;
    }

    @DataBoundSetter
    public void setCloud(String cloud) {
        this.cloud = cloud;
    }

    public String getCustomWorkspace() {
        return customWorkspace;
    }

    @DataBoundSetter
    public void setCustomWorkspace(String customWorkspace) {
        this.customWorkspace = customWorkspace;
    }

    /** The block's fields by name, unset ones as null. */
    public Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("cpus", cpus);
        f.put("memMb", memMb);
        f.put("jvmHeapMb", jvmHeapMb);
        f.put("diskMb", diskMb);
        f.put("gpus", gpus);
        f.put("hostPorts", hostPorts);
        f.put("role", role);
        f.put("user", user);
        f.put("executors", executors);
        f.put("remoteFsRoot", remoteFsRoot);
        f.put("jvmOptions", jvmOptions);
        f.put("agentArguments", agentArguments);
        f.put("environment", environment);
        f.put("fetchUris", fetchUris);
        f.put("constraints", constraints);
        f.put("faultDomain", faultDomain);
        f.put("region", region);
        f.put("zone", zone);
        f.put("instanceCap", instanceCap);
        f.put("idleTerminationMinutes", idleTerminationMinutes);
        f.put("singleUse", singleUse);
        f.put("launchTimeoutSeconds", launchTimeoutSeconds);
        f.put("webSocket", webSocket);
        f.put("containerType", containerType);
        f.put("image", image);
        f.put("useImageEntrypoint", useImageEntrypoint);
        f.put("network", network);
        f.put("cniNetworks", cniNetworks);
        f.put("portMappings", portMappings);
        f.put("privileged", privileged);
        f.put("forcePull", forcePull);
        f.put("dockerParameters", dockerParameters);
        f.put("volumes", volumes);
        f.put("runAsTaskUser", runAsTaskUser);
        f.put("inheritFrom", inheritFrom);
        f.put("cloud", cloud);
        f.put("customWorkspace", customWorkspace);
        return f;
    }

    /** The {@code mesosAgent} step's named arguments (read by the Groovy script). */
    public Map<String, Object> getAsArgs() {
        return DeclarativeAgentArgs.toStepArgs(fields());
    }

    /**
     * {@code mesosAgent} in an {@code agent} block. Optional: pipeline-model-extensions may be
     * missing (ExtensionFinder.GuiceFinder logs the failed load at FINE for an optional extension,
     * jenkins-2.479.3 core/src/main/java/hudson/ExtensionFinder.java:567-603).
     */
    @Extension(optional = true, dynamicLoadable = YesNoMaybe.YES)
    @Symbol("mesosAgent")
    public static class DescriptorImpl extends DeclarativeAgentDescriptor<MesosDeclarativeAgent> {
        @Override
        public String getDisplayName() {
            return "Mesos agent defined in the Jenkinsfile";
        }
    }
}
