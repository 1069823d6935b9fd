package io.jenkins.plugins.mesosagents.cloud;

import hudson.AbortException;
import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;

import io.jenkins.plugins.mesosagents.settings.JenkinsfileTemplate;
import io.jenkins.plugins.mesosagents.settings.TemplateSettings;

import jenkins.YesNoMaybe;

import org.jenkinsci.plugins.workflow.steps.BodyExecution;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

import java.io.Serializable;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code mesosAgent(cpus: 2, memMb: 4096, image: 'gradle:8-jdk17') { node(env.MESOS_LABEL) { … }
 * }}: an agent template declared in the Jenkinsfile, on a Mesos cloud, for the duration of the
 * block. Its arguments are the template's JCasC keys, the container's directly ({@link
 * JenkinsfileTemplate}), plus {@code inheritFrom} (a cloud template whose values are the defaults)
 * and {@code cloud} (default: the only Mesos cloud). The block gets the template's unique label as
 * {@code MESOS_LABEL}; its agents are single-use unless {@code singleUse: false}. However the block
 * ends (success, failure, abort) the template is removed and every agent it launched is ended, its
 * task killed; after a Jenkins restart the template is restored, or, if that fails, its agents are
 * ended and the block is cancelled. The cloud's rules ({@code jenkinsfileTemplates}, image
 * prefixes, maximum resources, host access) are checked first: a template breaking one fails the
 * step at once with the rule and the value. Named {@code mesosAgent} so as not to clash with other
 * plugins' steps (kubernetes' {@code podTemplate}, mesos-plugin's none).
 */
public class MesosAgentStep extends Step implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The template arguments given, by their JCasC names (see {@link JenkinsfileTemplate}). */
    private final LinkedHashMap<String, Object> arguments = new LinkedHashMap<>();

    private String cloud;
    private String inheritFrom;

    @DataBoundConstructor
    public MesosAgentStep() {}

    private void put(String key, Object value) {
        if (value == null) {
            arguments.remove(key);
        } else {
            arguments.put(key, value);
        }
    }

    /** The named arguments, as {@link JenkinsfileTemplate#settings} takes them. */
    public Map<String, Object> getArguments() {
        Map<String, Object> all = new LinkedHashMap<>(arguments);
        if (inheritFrom != null) {
            all.put(JenkinsfileTemplate.INHERIT_FROM, inheritFrom);
        }
        return all;
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(this, context);
    }

    public String getCloud() {
        return cloud;
    }

    /** The Mesos cloud's name; default: the only Mesos cloud. */
    @DataBoundSetter
    public void setCloud(String cloud) {
        this.cloud = cloud == null || cloud.isBlank() ? null : cloud.trim();
    }

    public String getInheritFrom() {
        return inheritFrom;
    }

    /** A template of the cloud whose values are this one's defaults. */
    @DataBoundSetter
    public void setInheritFrom(String inheritFrom) {
        this.inheritFrom = inheritFrom == null || inheritFrom.isBlank() ? null : inheritFrom.trim();
    }

    public Double getCpus() {
        return (Double) arguments.get("cpus");
    }

    @DataBoundSetter
    public void setCpus(Double cpus) {
        put("cpus", cpus);
    }

    public Double getMemMb() {
        return (Double) arguments.get("memMb");
    }

    @DataBoundSetter
    public void setMemMb(Double memMb) {
        put("memMb", memMb);
    }

    public Integer getJvmHeapMb() {
        return (Integer) arguments.get("jvmHeapMb");
    }

    @DataBoundSetter
    public void setJvmHeapMb(Integer jvmHeapMb) {
        put("jvmHeapMb", jvmHeapMb);
    }

    public Double getDiskMb() {
        return (Double) arguments.get("diskMb");
    }

    @DataBoundSetter
    public void setDiskMb(Double diskMb) {
        put("diskMb", diskMb);
    }

    public Integer getGpus() {
        return (Integer) arguments.get("gpus");
    }

    @DataBoundSetter
    public void setGpus(Integer gpus) {
        put("gpus", gpus);
    }

    public Integer getHostPorts() {
        return (Integer) arguments.get("hostPorts");
    }

    @DataBoundSetter
    public void setHostPorts(Integer hostPorts) {
        put("hostPorts", hostPorts);
    }

    public String getRole() {
        return (String) arguments.get("role");
    }

    @DataBoundSetter
    public void setRole(String role) {
        put("role", role);
    }

    public String getUser() {
        return (String) arguments.get("user");
    }

    @DataBoundSetter
    public void setUser(String user) {
        put("user", user);
    }

    public Integer getExecutors() {
        return (Integer) arguments.get("executors");
    }

    @DataBoundSetter
    public void setExecutors(Integer executors) {
        put("executors", executors);
    }

    public String getRemoteFsRoot() {
        return (String) arguments.get("remoteFsRoot");
    }

    @DataBoundSetter
    public void setRemoteFsRoot(String remoteFsRoot) {
        put("remoteFsRoot", remoteFsRoot);
    }

    public String getJvmOptions() {
        return (String) arguments.get("jvmOptions");
    }

    @DataBoundSetter
    public void setJvmOptions(String jvmOptions) {
        put("jvmOptions", jvmOptions);
    }

    public String getAgentArguments() {
        return (String) arguments.get("agentArguments");
    }

    @DataBoundSetter
    public void setAgentArguments(String agentArguments) {
        put("agentArguments", agentArguments);
    }

    public String getEnvironment() {
        return (String) arguments.get("environment");
    }

    @DataBoundSetter
    public void setEnvironment(String environment) {
        put("environment", environment);
    }

    public String getFetchUris() {
        return (String) arguments.get("fetchUris");
    }

    @DataBoundSetter
    public void setFetchUris(String fetchUris) {
        put("fetchUris", fetchUris);
    }

    public String getConstraints() {
        return (String) arguments.get("constraints");
    }

    @DataBoundSetter
    public void setConstraints(String constraints) {
        put("constraints", constraints);
    }

    public String getFaultDomain() {
        return (String) arguments.get("faultDomain");
    }

    @DataBoundSetter
    public void setFaultDomain(String faultDomain) {
        put("faultDomain", faultDomain);
    }

    public String getRegion() {
        return (String) arguments.get("region");
    }

    @DataBoundSetter
    public void setRegion(String region) {
        put("region", region);
    }

    public String getZone() {
        return (String) arguments.get("zone");
    }

    @DataBoundSetter
    public void setZone(String zone) {
        put("zone", zone);
    }

    public Integer getInstanceCap() {
        return (Integer) arguments.get("instanceCap");
    }

    @DataBoundSetter
    public void setInstanceCap(Integer instanceCap) {
        put("instanceCap", instanceCap);
    }

    public Integer getIdleTerminationMinutes() {
        return (Integer) arguments.get("idleTerminationMinutes");
    }

    @DataBoundSetter
    public void setIdleTerminationMinutes(Integer idleTerminationMinutes) {
        put("idleTerminationMinutes", idleTerminationMinutes);
    }

    public Boolean getSingleUse() {
        return (Boolean) arguments.get("singleUse");
    }

    @DataBoundSetter
    public void setSingleUse(Boolean singleUse) {
        put("singleUse", singleUse);
    }

    public Integer getLaunchTimeoutSeconds() {
        return (Integer) arguments.get("launchTimeoutSeconds");
    }

    @DataBoundSetter
    public void setLaunchTimeoutSeconds(Integer launchTimeoutSeconds) {
        put("launchTimeoutSeconds", launchTimeoutSeconds);
    }

    public Boolean getWebSocket() {
        return (Boolean) arguments.get("webSocket");
    }

    @DataBoundSetter
    public void setWebSocket(Boolean webSocket) {
        put("webSocket", webSocket);
    }

    public String getType() {
        return (String) arguments.get("type");
    }

    @DataBoundSetter
    public void setType(String type) {
        put("type", type);
    }

    public String getImage() {
        return (String) arguments.get("image");
    }

    @DataBoundSetter
    public void setImage(String image) {
        put("image", image);
    }

    public Boolean getUseImageEntrypoint() {
        return (Boolean) arguments.get("useImageEntrypoint");
    }

    @DataBoundSetter
    public void setUseImageEntrypoint(Boolean useImageEntrypoint) {
        put("useImageEntrypoint", useImageEntrypoint);
    }

    public String getNetwork() {
        return (String) arguments.get("network");
    }

    @DataBoundSetter
    public void setNetwork(String network) {
        put("network", network);
    }

    public String getCniNetworks() {
        return (String) arguments.get("cniNetworks");
    }

    @DataBoundSetter
    public void setCniNetworks(String cniNetworks) {
        put("cniNetworks", cniNetworks);
    }

    public String getPortMappings() {
        return (String) arguments.get("portMappings");
    }

    @DataBoundSetter
    public void setPortMappings(String portMappings) {
        put("portMappings", portMappings);
    }

    public Boolean getPrivileged() {
        return (Boolean) arguments.get("privileged");
    }

    @DataBoundSetter
    public void setPrivileged(Boolean privileged) {
        put("privileged", privileged);
    }

    public Boolean getForcePull() {
        return (Boolean) arguments.get("forcePull");
    }

    @DataBoundSetter
    public void setForcePull(Boolean forcePull) {
        put("forcePull", forcePull);
    }

    public String getDockerParameters() {
        return (String) arguments.get("dockerParameters");
    }

    @DataBoundSetter
    public void setDockerParameters(String dockerParameters) {
        put("dockerParameters", dockerParameters);
    }

    public String getVolumes() {
        return (String) arguments.get("volumes");
    }

    @DataBoundSetter
    public void setVolumes(String volumes) {
        put("volumes", volumes);
    }

    public Boolean getRunAsTaskUser() {
        return (Boolean) arguments.get("runAsTaskUser");
    }

    @DataBoundSetter
    public void setRunAsTaskUser(Boolean runAsTaskUser) {
        put("runAsTaskUser", runAsTaskUser);
    }

    /**
     * Runs the block with the template added, and ends it with the template. Persisted with the
     * Pipeline (program.dat): only plain values are kept, the template as the map {@link
     * JenkinsfileTemplate#toMap} writes, so that {@link #onResume} can add it again.
     */
    static final class Execution extends StepExecution {
        private static final long serialVersionUID = 1L;
        private static final Logger LOGGER = Logger.getLogger(Execution.class.getName());

        private final transient MesosAgentStep step;
        String cloudName;
        String templateName;
        String label;
        HashMap<String, Object> template;
        BodyExecution body;

        Execution(MesosAgentStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        public boolean start() throws Exception {
            StepContext context = getContext();
            Run<?, ?> run = context.get(Run.class);
            TaskListener listener = context.get(TaskListener.class);
            JenkinsfileAgents agents = JenkinsfileAgents.inJenkins();
            JenkinsfileAgents.Declaration declared;
            try {
                declared =
                        agents.declare(
                                step.cloud,
                                step.getArguments(),
                                run.getParent().getFullName() + "-" + run.getNumber());
            } catch (IllegalArgumentException e) {
                throw new AbortException("mesosAgent: " + e.getMessage());
            }
            TemplateSettings settings = declared.settings();
            cloudName = declared.cloudName();
            templateName = settings.name();
            label = settings.labelString();
            template = new HashMap<>(JenkinsfileTemplate.toMap(settings));
            listener.getLogger()
                    .println(
                            "mesosAgent: template "
                                    + templateName
                                    + " on Mesos cloud "
                                    + cloudName
                                    + " ("
                                    + describe(settings)
                                    + ") until the end of this block; its label is in"
                                    + " env.MESOS_LABEL");
            try {
                body =
                        context.newBodyInvoker()
                                .withContext(
                                        EnvironmentExpander.merge(
                                                context.get(EnvironmentExpander.class),
                                                EnvironmentExpander.constant(
                                                        Map.of("MESOS_LABEL", label))))
                                .withCallback(new Cleanup(cloudName, templateName))
                                .start();
            } catch (RuntimeException e) {
                agents.release(cloudName, templateName);
                throw e;
            }
            return false;
        }

        static String describe(TemplateSettings s) {
            return "cpus "
                    + s.cpus()
                    + ", memMb "
                    + s.memMb()
                    + (s.container() == null || s.container().image().isBlank()
                            ? ""
                            : ", image " + s.container().image())
                    + (s.singleUse() ? ", single-use agents" : "");
        }

        /** Aborted: the agents end now (their tasks are killed), then the block is cancelled. */
        @Override
        public void stop(Throwable cause) throws Exception {
            if (templateName != null) {
                JenkinsfileAgents.inJenkins().release(cloudName, templateName);
            }
            if (body != null) {
                body.cancel(cause);
            } else {
                getContext().onFailure(cause);
            }
        }

        /**
         * Jenkins restarted during the block: the template is added again, so its agents (whose
         * tasks ran on) are served and can be replaced; if that is impossible (its cloud was
         * deleted, its credentials are gone) its agents are ended and the block cancelled.
         */
        @Override
        public void onResume() {
            if (templateName == null) {
                return;
            }
            JenkinsfileAgents agents = JenkinsfileAgents.inJenkins();
            try {
                agents.restore(cloudName, template);
            } catch (RuntimeException e) {
                LOGGER.log(
                        Level.WARNING,
                        "mesosAgent: cannot restore template "
                                + templateName
                                + ": "
                                + e.getMessage(),
                        e);
                agents.release(cloudName, templateName);
                Exception why =
                        new IllegalStateException(
                                "mesosAgent: template "
                                        + templateName
                                        + " could not be restored after the restart ("
                                        + e.getMessage()
                                        + "); its agents were ended");
                if (body != null) {
                    body.cancel(why);
                } else {
                    getContext().onFailure(why);
                }
            }
        }

        @Override
        public String getStatus() {
            return templateName == null
                    ? "declaring a Mesos agent template"
                    : "running the block of Mesos template " + templateName;
        }
    }

    /** The block ended, however: remove the template and end its agents. */
    static final class Cleanup extends BodyExecutionCallback.TailCall {
        private static final long serialVersionUID = 1L;
        private final String cloudName;
        private final String templateName;

        Cleanup(String cloudName, String templateName) {
            this.cloudName = cloudName;
            this.templateName = templateName;
        }

        @Override
        protected void finished(StepContext context) {
            end(cloudName, templateName);
        }

        static void end(String cloudName, String templateName) {
            JenkinsfileAgents.inJenkins().release(cloudName, templateName);
        }
    }

    /** Registers {@code mesosAgent}, a block step. */
    @Extension(dynamicLoadable = YesNoMaybe.YES)
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "mesosAgent";
        }

        @Override
        public String getDisplayName() {
            return "Declare a Mesos agent template for the block (label in env.MESOS_LABEL)";
        }

        @Override
        public boolean takesImplicitBlockArgument() {
            return true;
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }
    }
}
