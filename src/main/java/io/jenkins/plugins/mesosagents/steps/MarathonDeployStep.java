package io.jenkins.plugins.mesosagents.steps;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;

import io.jenkins.plugins.mesosagents.engine.TemplateProblem;
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
import io.jenkins.plugins.mesosagents.settings.JsonObjectText;
import io.jenkins.plugins.mesosagents.settings.KeyValueText;

import jenkins.YesNoMaybe;

import net.sf.json.JSONObject;

import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

import java.io.PrintStream;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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
                // 0 (or left out) derives a deadline; a negative one is the engine's to refuse
                .timeout(timeoutSeconds == 0 ? null : Duration.ofSeconds(timeoutSeconds))
                .settleTime(settleSeconds == null ? null : Duration.ofSeconds(settleSeconds))
                .rollbackTimeout(
                        rollbackTimeoutSeconds == null || rollbackTimeoutSeconds == 0
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
        DeployRequest request;
        try {
            request = request(definition, environment == null ? Map.of() : environment);
        } catch (IllegalArgumentException e) {
            // the engine's rules for the step's arguments (negative timeouts, ...)
            throw new AbortException("marathonDeploy: " + e.getMessage());
        }
        try {
            DeployResult result = deployer.deploy(request);
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

        /** A map argument as its text area shows it, {@code key=value} per line. */
        public String keyValues(Map<String, String> values) {
            return KeyValueText.format(values);
        }

        /** The app definition map as its text area shows it: JSON. */
        public String json(Map<String, Object> app) {
            return JsonObjectText.format(app);
        }

        /**
         * The form's map arguments are text ({@code env} and {@code labels} {@code key=value} per
         * line, {@code app} JSON); Pipeline passes maps, bound by the step's unchanged Map setters.
         * Stapler cannot bind a Map from text, so the text is parsed here and set after core's
         * Descriptor.newInstance has bound the rest.
         */
        @Override
        public Step newInstance(StaplerRequest2 req, JSONObject formData) throws FormException {
            MapFields maps = MapFields.take(formData);
            if (!maps.problems().isEmpty()) {
                TemplateProblem first = maps.problems().get(0);
                throw new FormException(first.message(), first.field());
            }
            MarathonDeployStep step = (MarathonDeployStep) super.newInstance(req, formData);
            maps.applyTo(step);
            return step;
        }

        @POST
        public FormValidation doCheckUrl(@AncestorInPath Item item, @QueryParameter String value) {
            StepFieldCheck.checkPermission(item);
            return StepFieldCheck.marathonUrl(value);
        }

        @POST
        public FormValidation doCheckId(@AncestorInPath Item item, @QueryParameter String value) {
            StepFieldCheck.checkPermission(item);
            return StepFieldCheck.appId(value);
        }

        @POST
        public FormValidation doCheckImage(
                @AncestorInPath Item item, @QueryParameter String value) {
            StepFieldCheck.checkPermission(item);
            return StepFieldCheck.imageReference(value, true);
        }

        @POST
        public FormValidation doCheckTimeoutSeconds(
                @AncestorInPath Item item, @QueryParameter String value) {
            StepFieldCheck.checkPermission(item);
            return StepFieldCheck.deployNumber(
                    "timeoutSeconds", value, MarathonDeployStep::setTimeoutSeconds);
        }

        @POST
        public FormValidation doCheckSettleSeconds(
                @AncestorInPath Item item, @QueryParameter String value) {
            StepFieldCheck.checkPermission(item);
            return StepFieldCheck.deployNumber(
                    "settleSeconds", value, MarathonDeployStep::setSettleSeconds);
        }

        @POST
        public FormValidation doCheckRollbackTimeoutSeconds(
                @AncestorInPath Item item, @QueryParameter String value) {
            StepFieldCheck.checkPermission(item);
            return StepFieldCheck.deployNumber(
                    "rollbackTimeoutSeconds", value, MarathonDeployStep::setRollbackTimeoutSeconds);
        }

        @POST
        public FormValidation doCheckMaxTaskFailures(
                @AncestorInPath Item item, @QueryParameter String value) {
            StepFieldCheck.checkPermission(item);
            return StepFieldCheck.deployNumber(
                    "maxTaskFailures", value, MarathonDeployStep::setMaxTaskFailures);
        }

        @POST
        public FormValidation doCheckEnv(@AncestorInPath Item item, @QueryParameter String value) {
            StepFieldCheck.checkPermission(item);
            return problems(KeyValueText.parse("env", value).problems());
        }

        @POST
        public FormValidation doCheckLabels(
                @AncestorInPath Item item, @QueryParameter String value) {
            StepFieldCheck.checkPermission(item);
            return problems(KeyValueText.parse("labels", value).problems());
        }

        @POST
        public FormValidation doCheckApp(@AncestorInPath Item item, @QueryParameter String value) {
            StepFieldCheck.checkPermission(item);
            return problems(JsonObjectText.parse("app", value).problems());
        }

        private static FormValidation problems(List<TemplateProblem> problems) {
            return problems.isEmpty()
                    ? FormValidation.ok()
                    : FormValidation.error(
                            String.join(
                                    "\n",
                                    problems.stream().map(TemplateProblem::message).toList()));
        }
    }

    /** The map arguments typed into the form, parsed; removed from the form Stapler binds. */
    record MapFields(
            Map<String, String> env,
            Map<String, String> labels,
            Map<String, Object> app,
            List<TemplateProblem> problems) {

        static MapFields take(JSONObject formData) {
            List<TemplateProblem> problems = new ArrayList<>();
            Map<String, String> env = null;
            Map<String, String> labels = null;
            Map<String, Object> app = null;
            if (formData != null && formData.opt("env") instanceof String text) {
                formData.remove("env");
                var parsed = KeyValueText.parse("env", text);
                problems.addAll(parsed.problems());
                env = parsed.value();
            }
            if (formData != null && formData.opt("labels") instanceof String text) {
                formData.remove("labels");
                var parsed = KeyValueText.parse("labels", text);
                problems.addAll(parsed.problems());
                labels = parsed.value();
            }
            if (formData != null && formData.opt("app") instanceof String text) {
                formData.remove("app");
                var parsed = JsonObjectText.parse("app", text);
                problems.addAll(parsed.problems());
                app = parsed.value();
            }
            return new MapFields(env, labels, app, problems);
        }

        /** Sets what the form gave; an empty app text area leaves the app to the file. */
        void applyTo(MarathonDeployStep step) {
            if (env != null) {
                step.setEnv(env);
            }
            if (labels != null) {
                step.setLabels(labels);
            }
            if (app != null && !app.isEmpty()) {
                step.setApp(app);
            }
        }
    }
}
