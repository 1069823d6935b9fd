package io.jenkins.plugins.mesosagents.steps;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;

import io.jenkins.plugins.mesosagents.marathon.DeployFailedException;
import io.jenkins.plugins.mesosagents.marathon.DeployRequest;
import io.jenkins.plugins.mesosagents.marathon.DeployResult;
import io.jenkins.plugins.mesosagents.marathon.InvalidAppDefinitionException;
import io.jenkins.plugins.mesosagents.marathon.MarathonAuth;
import io.jenkins.plugins.mesosagents.marathon.MarathonClient;
import io.jenkins.plugins.mesosagents.marathon.MarathonDeployer;
import io.jenkins.plugins.mesosagents.marathon.MarathonException;
import io.jenkins.plugins.mesosagents.marathon.Overrides;
import io.jenkins.plugins.mesosagents.marathon.Sleeper;

import jenkins.YesNoMaybe;

import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

import java.io.PrintStream;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code marathonDeploy}: renders an app definition from the workspace (or a map) with {@code
 * ${VAR}} from the build environment and the given overrides, PUTs it to Marathon and waits until
 * the rollout is healthy; on the deadline, task failures or an abort it rolls the deployment back
 * and fails the build with what happened. Returns {@code [appId:, deploymentId:, version:]}. See
 * docs/marathon-deploy.md for every field.
 */
public class MarathonDeployStep extends Step implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String url;
    private String credentialsId = "";
    private String filename = DeployRequest.DEFAULT_FILE;
    private Map<String, Object> app;
    private String id = "";
    private String image = "";
    private Integer instances;
    private Double cpus;
    private Double mem;
    private Map<String, String> env = Map.of();
    private Map<String, String> labels = Map.of();
    private boolean force;
    private boolean partialUpdate;
    private int timeoutSeconds;
    private Integer settleSeconds;
    private Integer rollbackTimeoutSeconds;
    private boolean rollbackOnFailure = true;
    private int maxTaskFailures = DeployRequest.DEFAULT_MAX_TASK_FAILURES;
    private String renderedFile = "";
    private boolean dryRun;

    @DataBoundConstructor
    public MarathonDeployStep(String url) {
        this.url = url == null ? "" : url.trim();
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(this, context);
    }

    /** The engine's request: everything but the connection, which the client holds. */
    DeployRequest request(String definitionJson, Map<String, String> environment) {
        DeployRequest.Builder b =
                app != null
                        ? DeployRequest.fromMap(app)
                        : DeployRequest.fromJson(definitionJson, filename);
        Overrides.Builder o = Overrides.builder();
        if (!id.isBlank()) {
            o.id(id);
        }
        if (!image.isBlank()) {
            o.image(image);
        }
        o.instances(instances).cpus(cpus).mem(mem).env(env).labels(labels);
        return b.environment(environment)
                .overrides(o.build())
                .force(force)
                .partialUpdate(partialUpdate)
                .timeout(timeoutSeconds > 0 ? Duration.ofSeconds(timeoutSeconds) : null)
                .settleTime(settleSeconds == null ? null : Duration.ofSeconds(settleSeconds))
                .rollbackTimeout(
                        rollbackTimeoutSeconds == null || rollbackTimeoutSeconds <= 0
                                ? null
                                : Duration.ofSeconds(rollbackTimeoutSeconds))
                .rollbackOnFailure(rollbackOnFailure)
                .maxTaskFailures(maxTaskFailures)
                .dryRun(dryRun)
                .build();
    }

    /** The step's work, separate from the execution so that it is tested without Pipeline. */
    Map<String, Object> perform(StepContext context) throws Exception {
        if (url.isEmpty()) {
            throw new AbortException(
                    "marathonDeploy: give Marathon's URL, e.g. marathonDeploy(url:"
                            + " 'http://marathon.mesos:8080')");
        }
        Run<?, ?> run = context.get(Run.class);
        PrintStream log = context.get(TaskListener.class).getLogger();
        FilePath workspace = context.get(FilePath.class);
        EnvVars environment = context.get(EnvVars.class);
        String definition = null;
        if (app == null) {
            FilePath file = workspace.child(filename);
            if (!file.exists()) {
                throw new AbortException(
                        "marathonDeploy: "
                                + filename
                                + " not found in the workspace "
                                + workspace.getRemote()
                                + "; commit an app definition there, set filename:, or pass the"
                                + " definition as app: [...]");
            }
            definition = file.readToString();
        }
        MarathonAuth auth = StepCredentials.marathonAuth(run, url, credentialsId);
        MarathonDeployer deployer =
                new MarathonDeployer(
                        MarathonClient.create(url, auth),
                        Clock.systemUTC(),
                        Sleeper.SYSTEM,
                        log::println);
        try {
            DeployResult result =
                    deployer.deploy(
                            request(definition, environment == null ? Map.of() : environment));
            String rendered =
                    renderedFile.isBlank()
                            ? "marathon-rendered-" + run.getNumber() + ".json"
                            : renderedFile;
            workspace.child(rendered).write(result.definition().toPrettyJson(), "UTF-8");
            log.println("Rendered app definition written to " + rendered);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("appId", result.appId());
            out.put("deploymentId", result.deploymentId());
            out.put("version", result.version());
            out.put("dryRun", result.dryRun());
            return out;
        } catch (InvalidAppDefinitionException | DeployFailedException | MarathonException e) {
            // the engine's messages are written for the build log: fail the build without a stack
            // trace
            throw new AbortException("marathonDeploy: " + e.getMessage());
        }
    }

    private static final class Execution
            extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final transient MarathonDeployStep step;

        Execution(MarathonDeployStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            return step.perform(getContext());
        }
    }

    public String getUrl() {
        return url;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = credentialsId == null ? "" : credentialsId;
    }

    public String getFilename() {
        return filename;
    }

    @DataBoundSetter
    public void setFilename(String filename) {
        this.filename =
                filename == null || filename.isBlank() ? DeployRequest.DEFAULT_FILE : filename;
    }

    public Map<String, Object> getApp() {
        return app;
    }

    @DataBoundSetter
    public void setApp(Map<String, Object> app) {
        this.app = app == null ? null : new LinkedHashMap<>(app);
    }

    public String getId() {
        return id;
    }

    @DataBoundSetter
    public void setId(String id) {
        this.id = id == null ? "" : id;
    }

    public String getImage() {
        return image;
    }

    @DataBoundSetter
    public void setImage(String image) {
        this.image = image == null ? "" : image;
    }

    public Integer getInstances() {
        return instances;
    }

    @DataBoundSetter
    public void setInstances(Integer instances) {
        this.instances = instances;
    }

    public Double getCpus() {
        return cpus;
    }

    @DataBoundSetter
    public void setCpus(Double cpus) {
        this.cpus = cpus;
    }

    public Double getMem() {
        return mem;
    }

    @DataBoundSetter
    public void setMem(Double mem) {
        this.mem = mem;
    }

    public Map<String, String> getEnv() {
        return env;
    }

    @DataBoundSetter
    public void setEnv(Map<String, String> env) {
        this.env = env == null ? Map.of() : new LinkedHashMap<>(env);
    }

    public Map<String, String> getLabels() {
        return labels;
    }

    @DataBoundSetter
    public void setLabels(Map<String, String> labels) {
        this.labels = labels == null ? Map.of() : new LinkedHashMap<>(labels);
    }

    public boolean isForce() {
        return force;
    }

    @DataBoundSetter
    public void setForce(boolean force) {
        this.force = force;
    }

    public boolean isPartialUpdate() {
        return partialUpdate;
    }

    @DataBoundSetter
    public void setPartialUpdate(boolean partialUpdate) {
        this.partialUpdate = partialUpdate;
    }

    public int getTimeoutSeconds() {
        return timeoutSeconds;
    }

    @DataBoundSetter
    public void setTimeoutSeconds(int timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }

    /** Seconds to keep watching after Marathon finished the deployment; null: derived. */
    public Integer getSettleSeconds() {
        return settleSeconds;
    }

    @DataBoundSetter
    public void setSettleSeconds(Integer settleSeconds) {
        this.settleSeconds = settleSeconds;
    }

    /** Seconds to wait for a rollback to finish; null or 0: derived. */
    public Integer getRollbackTimeoutSeconds() {
        return rollbackTimeoutSeconds;
    }

    @DataBoundSetter
    public void setRollbackTimeoutSeconds(Integer rollbackTimeoutSeconds) {
        this.rollbackTimeoutSeconds = rollbackTimeoutSeconds;
    }

    public boolean isRollbackOnFailure() {
        return rollbackOnFailure;
    }

    @DataBoundSetter
    public void setRollbackOnFailure(boolean rollbackOnFailure) {
        this.rollbackOnFailure = rollbackOnFailure;
    }

    public int getMaxTaskFailures() {
        return maxTaskFailures;
    }

    @DataBoundSetter
    public void setMaxTaskFailures(int maxTaskFailures) {
        this.maxTaskFailures = maxTaskFailures;
    }

    public String getRenderedFile() {
        return renderedFile;
    }

    @DataBoundSetter
    public void setRenderedFile(String renderedFile) {
        this.renderedFile = renderedFile == null ? "" : renderedFile;
    }

    public boolean isDryRun() {
        return dryRun;
    }

    @DataBoundSetter
    public void setDryRun(boolean dryRun) {
        this.dryRun = dryRun;
    }

    /**
     * Registers {@code marathonDeploy}; named so as not to clash with marathon-plugin's {@code
     * marathon}.
     */
    @Extension(dynamicLoadable = YesNoMaybe.YES)
    public static final class DescriptorImpl extends CredentialsStepDescriptor {
        @Override
        public String getFunctionName() {
            return "marathonDeploy";
        }

        @Override
        public String getDisplayName() {
            return "Deploy a Marathon app and wait until it is healthy (or roll it back)";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(FilePath.class, TaskListener.class, Run.class, EnvVars.class);
        }
    }
}
