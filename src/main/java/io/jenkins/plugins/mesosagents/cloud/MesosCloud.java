package io.jenkins.plugins.mesosagents.cloud;

import hudson.model.Label;
import hudson.model.Node;
import hudson.slaves.Cloud;
import hudson.slaves.NodeProvisioner;
import hudson.slaves.NodeProvisioner.PlannedNode;

import io.jenkins.plugins.mesosagents.engine.AgentIdentity;
import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.PlannedAgent;
import io.jenkins.plugins.mesosagents.engine.SecretValue;
import io.jenkins.plugins.mesosagents.mesos.Encoding;
import io.jenkins.plugins.mesosagents.engine.TemplateProblem;
import io.jenkins.plugins.mesosagents.mesos.FrameworkIdentity;
import io.jenkins.plugins.mesosagents.session.SchedulerSession;
import io.jenkins.plugins.mesosagents.settings.CloudSettings;
import io.jenkins.plugins.mesosagents.settings.CloudTemplates;
import io.jenkins.plugins.mesosagents.settings.JenkinsfileRules;
import io.jenkins.plugins.mesosagents.settings.TemplateSettings;
import io.jenkins.plugins.mesosagents.settings.NumberText;
import io.jenkins.plugins.mesosagents.settings.TemplateText;

import jenkins.model.Jenkins;
import jenkins.model.JenkinsLocationConfiguration;
import jenkins.slaves.JnlpAgentReceiver;
import jenkins.util.Timer;

import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A Jenkins cloud backed by an Apache Mesos cluster, configured under Manage Jenkins → Clouds. It
 * holds what the user configured (XStream persists the non-transient fields into {@code
 * config.xml}) and turns the provisioner's demand into planned agents; the framework connection and
 * the engine run in a {@link SchedulerSession} kept by {@link MesosClouds}, because saving the
 * configuration page replaces this object.
 */
public class MesosCloud extends Cloud {
    private static final Logger LOGGER = Logger.getLogger(MesosCloud.class.getName());

    private String masterUrls = "";
    private String frameworkName = "jenkins";
    static final String DEFAULT_FRAMEWORK_USER = CloudSettings.DEFAULT_FRAMEWORK_USER;
    private String frameworkUser = "";
    private String credentialsId = "";
    private String dcosCredentialsId = "";
    private String caCertificate = "";
    private String jenkinsUrl = "";
    private int failoverTimeoutHours = (int) FrameworkIdentity.DEFAULT_FAILOVER_TIMEOUT.toHours();
    private int maxAgents;

    /** Null in configurations saved before the setting existed: the default applies. */
    private Integer neverLaunchGraceMinutes;

    static final int DEFAULT_NEVER_LAUNCH_GRACE_MINUTES =
            CloudSettings.DEFAULT_NEVER_LAUNCH_GRACE_MINUTES;
    private double maxCpus;
    private double maxMemMb;
    private String encoding = Encoding.PROTOBUF.name();
    private List<MesosAgentTemplate> templates = new ArrayList<>();

    /** Whether templates may be privileged or mount host paths (issue 12): off unless switched. */
    private boolean allowPrivileged;

    /** The rules for templates declared in Jenkinsfiles ({@link JenkinsfileRules}). */
    private String jenkinsfileTemplates = JenkinsfileRules.UNPRIVILEGED;

    private String jenkinsfileImagePrefixes = "";
    private double jenkinsfileMaxCpus;
    private double jenkinsfileMaxMemMb;
    private double jenkinsfileMaxDiskMb;
    private int jenkinsfileMaxGpus;

    /**
     * Numeric fields whose text was not a number, with the problem; such a field keeps its previous
     * value and the cloud's page shows the problem. The setters take the form's text for the reason
     * given on MesosAgentTemplate's numeric fields (Stapler would bind "abc" as 0, and 0 means "no
     * limit" here).
     */
    private Map<String, String> notNumbers = new TreeMap<>();

    private <T> T number(String field, TemplateText.Parsed<T> parsed) {
        if (notNumbers == null) {
            notNumbers = new TreeMap<>();
        }
        notNumbers.remove(field);
        for (TemplateProblem p : parsed.problems()) {
            notNumbers.put(field, p.message());
        }
        return parsed.value();
    }

    /** Cloud fields whose saved text was not a number ("field: problem"), for the cloud's page. */
    public List<String> getFieldProblems() {
        List<String> problems = new ArrayList<>();
        if (notNumbers != null) {
            notNumbers.forEach(
                    (field, message) ->
                            problems.add(field + ": " + message + "; the previous value is kept"));
        }
        return problems;
    }

    @DataBoundConstructor
    public MesosCloud(String name) {
        super(name);
    }

    /**
     * Defaults for what an older {@code config.xml} does not have: XStream skips the constructor
     * and field initializers, so a field added later is null or 0 after loading.
     */
    protected Object readResolve() {
        masterUrls = orEmpty(masterUrls);
        frameworkName =
                frameworkName == null || frameworkName.isBlank() ? "jenkins" : frameworkName;
        frameworkUser = orEmpty(frameworkUser);
        credentialsId = orEmpty(credentialsId);
        dcosCredentialsId = orEmpty(dcosCredentialsId);
        caCertificate = orEmpty(caCertificate);
        jenkinsUrl = orEmpty(jenkinsUrl);
        if (failoverTimeoutHours <= 0) {
            failoverTimeoutHours = (int) FrameworkIdentity.DEFAULT_FAILOVER_TIMEOUT.toHours();
        }
        if (templates == null) {
            templates = new ArrayList<>();
        }
        templates.forEach(t -> t.ownedBy(this));
        if (jenkinsfileTemplates == null || jenkinsfileTemplates.isBlank()) {
            jenkinsfileTemplates = JenkinsfileRules.UNPRIVILEGED;
        }
        jenkinsfileImagePrefixes = orEmpty(jenkinsfileImagePrefixes);
        return this;
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    @Override
    public boolean canProvision(CloudState state) {
        return templateFor(state.getLabel()) != null;
    }

    @Override
    public Collection<PlannedNode> provision(CloudState state, int excessWorkload) {
        MesosAgentTemplate template = templateFor(state.getLabel());
        if (template == null || excessWorkload <= 0) {
            return List.of();
        }
        if (template.getExecutors() < 1) {
            // checked before the engine admits anything: PlannedNode refuses numExecutors < 1
            // (NodeProvisioner.java:101-102 at jenkins-2.479.3)
            LOGGER.warning(
                    () ->
                            "Mesos cloud "
                                    + name
                                    + ": template "
                                    + template.getName()
                                    + " has "
                                    + template.getExecutors()
                                    + " executors; set at least 1 in the cloud's configuration");
            return List.of();
        }
        int count =
                (excessWorkload + template.getExecutors() - 1)
                        / Math.max(1, template.getExecutors());
        List<PlannedNode> nodes = new ArrayList<>();
        try {
            for (PlannedAgent agent : admit(template, count)) {
                MesosAgent node = new MesosAgent(agent.name(), name, template, new MesosLauncher());
                nodes.add(planned(agent.name(), node, template.getExecutors()));
            }
            if (!nodes.isEmpty()) {
                reviewSoon(state.getLabel());
            }
        } catch (Exception e) {
            // provision() must not throw: log why, and the provisioner asks again on its next tick
            LOGGER.log(
                    Level.WARNING,
                    "Mesos cloud "
                            + name
                            + " could not provision for label "
                            + state.getLabel()
                            + " (template "
                            + template.getName()
                            + "): "
                            + e.getMessage(),
                    e);
        }
        return nodes;
    }

    /**
     * Agents the engine admitted for the template (as many of {@code count} as the caps allow),
     * as nodes not yet added to Jenkins: the provisioner's planned nodes and the warm pool's
     * agents are made here.
     */
    List<MesosAgent> admitAgents(MesosAgentTemplate template, int count) throws Exception {
        List<MesosAgent> agents = new ArrayList<>();
        for (PlannedAgent agent : admit(template, count)) {
            agents.add(new MesosAgent(agent.name(), name, template, new MesosLauncher()));
        }
        return agents;
    }

    private List<PlannedAgent> admit(MesosAgentTemplate template, int count) throws Exception {
        return MesosClouds.get()
                .sessionFor(this)
                .provision(template.getName(), count, t -> identity(t))
                .get(10, TimeUnit.SECONDS);
    }

    /** The template with this name, or null. */
    MesosAgentTemplate template(String templateName) {
        return templates.stream()
                .filter(t -> t.getName().equals(templateName))
                .findFirst()
                .orElse(null);
    }

    /**
     * Jenkins adds planned nodes only at its provisioner's next update() (NodeProvisioner.java:
     * 226-248 at jenkins-2.479.3), up to 10 s later, and the Mesos task waits for the node: ask for
     * that update now. suggestReviewNow (NodeProvisioner.java:182) runs it at most once a second;
     * called a second later, as kubernetes-plugin's NoDelayProvisionerStrategy does, because this
     * runs inside the current update.
     */
    void reviewSoon(Label label) {
        Jenkins jenkins = Jenkins.get();
        NodeProvisioner provisioner =
                label == null ? jenkins.unlabeledNodeProvisioner : label.nodeProvisioner;
        Timer.get().schedule(provisioner::suggestReviewNow, 1, TimeUnit.SECONDS);
    }

    /**
     * The future completes at once, so Jenkins adds the node; its launcher then lets the engine
     * launch the task, so the inbound agent is accepted when it connects (the kubernetes plugin's
     * pattern).
     */
    PlannedNode planned(String agentName, MesosAgent node, int executors) {
        return new PlannedNode(agentName, CompletableFuture.completedFuture(node), executors);
    }

    private static AgentIdentity identity(AgentTemplate template) {
        String prefix = template.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-");
        String name = "mesos-" + prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        return new AgentIdentity(name, SecretValue.of(JnlpAgentReceiver.SLAVE_SECRET.mac(name)));
    }

    /**
     * The first valid template serving this label, with its inherited fields merged in; jobs
     * without a label only go to NORMAL-mode templates. An invalid template is skipped: the session
     * leaves it out (CloudSessions), so a job routed to it would wait forever. Then the templates
     * Jenkinsfiles declared on this cloud (mesosAgent), each for its own label only.
     */
    MesosAgentTemplate templateFor(Label label) {
        CloudTemplates resolved = resolvedTemplates();
        for (MesosAgentTemplate template : templates) {
            if (resolved.isValid(template.getName()) && serves(template, label)) {
                return template.getInheritFrom().isBlank()
                        ? template
                        : MesosAgentTemplate.of(resolved.effective(template.getName()));
            }
        }
        if (label != null) {
            for (TemplateSettings declared : MesosClouds.get().jenkinsfileTemplates(name)) {
                if (label.matches(Label.parse(declared.labelString()))) {
                    return MesosAgentTemplate.of(declared);
                }
            }
        }
        return null;
    }

    /**
     * The first invalid template that would serve this label if it were valid: the builds waiting
     * for it wait for a template that can never launch.
     */
    MesosAgentTemplate invalidTemplateFor(Label label) {
        CloudTemplates resolved = resolvedTemplates();
        for (MesosAgentTemplate template : templates) {
            if (!resolved.isValid(template.getName()) && serves(template, label)) {
                return template;
            }
        }
        return null;
    }

    private static boolean serves(MesosAgentTemplate template, Label label) {
        return label == null
                ? template.getMode() == Node.Mode.NORMAL
                : label.matches(Label.parse(template.getLabelString()));
    }

    /**
     * The cloud's templates as they run: inheritance resolved, the cloud's rules applied, and each
     * template's fields that were not numbers counted as its problems.
     */
    CloudTemplates resolvedTemplates() {
        java.util.Map<String, List<TemplateProblem>> declared = new TreeMap<>();
        for (MesosAgentTemplate t : templates) {
            declared.putIfAbsent(t.getName(), t.numberProblems());
        }
        return CloudTemplates.of(
                templates.stream().map(MesosAgentTemplate::settings).toList(),
                allowPrivileged,
                declared);
    }

    /** What keeps a template of this cloud from receiving jobs; empty when it is valid. */
    List<TemplateProblem> templateProblems(MesosAgentTemplate template) {
        return resolvedTemplates().problems(template.getName());
    }

    /** The administrator's rules for templates declared in Jenkinsfiles. */
    JenkinsfileRules jenkinsfileRules() {
        return settings().jenkinsfileRules();
    }

    /** What a session is built from; templates are excluded since they are updated in place. */
    String connectionFingerprint() {
        return Objects.hash(
                        masterUrls,
                        frameworkName,
                        frameworkUser,
                        credentialsId,
                        dcosCredentialsId,
                        caCertificate,
                        effectiveJenkinsUrl(),
                        failoverTimeoutHours,
                        maxAgents,
                        maxCpus,
                        maxMemMb,
                        getEncoding())
                + "";
    }

    /**
     * The engine's templates; an invalid one is left out with its problems logged, so the others
     * keep working.
     */
    List<AgentTemplate> agentTemplates() {
        return CloudSessions.agentTemplates(this);
    }

    /** This cloud's fields as plain values, for the one conversion into the engine's settings. */
    CloudSettings settings() {
        return CloudSettings.builder(name)
                .masterUrls(masterUrls)
                .jenkinsUrl(jenkinsUrl)
                .frameworkName(frameworkName)
                .frameworkUser(frameworkUser)
                .credentialsId(credentialsId)
                .dcosCredentialsId(dcosCredentialsId)
                .caCertificate(caCertificate)
                .failoverTimeoutHours(failoverTimeoutHours)
                .maxAgents(maxAgents)
                .maxCpus(maxCpus)
                .maxMemMb(maxMemMb)
                .encoding(getEncoding())
                .neverLaunchGraceMinutes(getNeverLaunchGraceMinutes())
                .templates(templates.stream().map(MesosAgentTemplate::settings).toList())
                .allowPrivileged(allowPrivileged)
                .jenkinsfileTemplates(jenkinsfileTemplates)
                .jenkinsfileImagePrefixes(jenkinsfileImagePrefixes)
                .jenkinsfileMaxCpus(jenkinsfileMaxCpus)
                .jenkinsfileMaxMemMb(jenkinsfileMaxMemMb)
                .jenkinsfileMaxDiskMb(jenkinsfileMaxDiskMb)
                .jenkinsfileMaxGpus(jenkinsfileMaxGpus)
                .build();
    }

    SchedulerSession startSession() {
        return CloudSessions.start(this);
    }

    String effectiveJenkinsUrl() {
        if (!jenkinsUrl.isBlank()) {
            return jenkinsUrl;
        }
        JenkinsLocationConfiguration location = JenkinsLocationConfiguration.get();
        return location == null ? null : location.getUrl();
    }

    public String getMasterUrls() {
        return masterUrls;
    }

    @DataBoundSetter
    public void setMasterUrls(String masterUrls) {
        this.masterUrls = masterUrls == null ? "" : masterUrls.trim();
    }

    public String getFrameworkName() {
        return frameworkName;
    }

    @DataBoundSetter
    public void setFrameworkName(String frameworkName) {
        this.frameworkName =
                frameworkName == null || frameworkName.isBlank() ? "jenkins" : frameworkName.trim();
    }

    /**
     * The OS user of tasks whose template names none: as set, else {@code jenkins} (docs/cloud.md),
     * never the controller's own account, which says nothing about the agent hosts.
     */
    static String effectiveFrameworkUser(String configured) {
        return configured == null || configured.isBlank() ? DEFAULT_FRAMEWORK_USER : configured;
    }

    public String getFrameworkUser() {
        return frameworkUser;
    }

    @DataBoundSetter
    public void setFrameworkUser(String frameworkUser) {
        this.frameworkUser = frameworkUser == null ? "" : frameworkUser.trim();
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = credentialsId == null ? "" : credentialsId.trim();
    }

    public String getDcosCredentialsId() {
        return dcosCredentialsId;
    }

    @DataBoundSetter
    public void setDcosCredentialsId(String dcosCredentialsId) {
        this.dcosCredentialsId = dcosCredentialsId == null ? "" : dcosCredentialsId.trim();
    }

    public String getCaCertificate() {
        return caCertificate;
    }

    @DataBoundSetter
    public void setCaCertificate(String caCertificate) {
        this.caCertificate = caCertificate == null ? "" : caCertificate.trim();
    }

    public String getJenkinsUrl() {
        return jenkinsUrl;
    }

    @DataBoundSetter
    public void setJenkinsUrl(String jenkinsUrl) {
        this.jenkinsUrl = jenkinsUrl == null ? "" : jenkinsUrl.trim();
    }

    public int getFailoverTimeoutHours() {
        return failoverTimeoutHours;
    }

    @DataBoundSetter
    public void setFailoverTimeoutHours(String failoverTimeoutHours) {
        this.failoverTimeoutHours =
                number(
                        "failoverTimeoutHours",
                        NumberText.integer(
                                "failoverTimeoutHours",
                                failoverTimeoutHours,
                                this.failoverTimeoutHours));
    }

    public int getMaxAgents() {
        return maxAgents;
    }

    @DataBoundSetter
    public void setMaxAgents(String maxAgents) {
        this.maxAgents =
                number("maxAgents", NumberText.integer("maxAgents", maxAgents, this.maxAgents));
    }

    /**
     * Minutes a template may be unable to launch before the builds waiting only for it are
     * cancelled; 0 never cancels.
     */
    public int getNeverLaunchGraceMinutes() {
        return neverLaunchGraceMinutes == null
                ? DEFAULT_NEVER_LAUNCH_GRACE_MINUTES
                : neverLaunchGraceMinutes;
    }

    @DataBoundSetter
    public void setNeverLaunchGraceMinutes(String neverLaunchGraceMinutes) {
        this.neverLaunchGraceMinutes =
                Math.max(
                        0,
                        number(
                                "neverLaunchGraceMinutes",
                                NumberText.integer(
                                        "neverLaunchGraceMinutes",
                                        neverLaunchGraceMinutes,
                                        getNeverLaunchGraceMinutes())));
    }

    public double getMaxCpus() {
        return maxCpus;
    }

    @DataBoundSetter
    public void setMaxCpus(String maxCpus) {
        this.maxCpus = number("maxCpus", NumberText.decimal("maxCpus", maxCpus, this.maxCpus));
    }

    public double getMaxMemMb() {
        return maxMemMb;
    }

    @DataBoundSetter
    public void setMaxMemMb(String maxMemMb) {
        this.maxMemMb = number("maxMemMb", NumberText.decimal("maxMemMb", maxMemMb, this.maxMemMb));
    }

    /** PROTOBUF (default) or JSON: how calls and events are encoded on the wire. */
    public String getEncoding() {
        return encoding == null ? Encoding.PROTOBUF.name() : encoding;
    }

    @DataBoundSetter
    public void setEncoding(String encoding) {
        String value = encoding == null ? "" : encoding.trim().toUpperCase(java.util.Locale.ROOT);
        if (value.isEmpty()) {
            value = Encoding.PROTOBUF.name();
        }
        try {
            Encoding.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "Unknown Mesos encoding '" + encoding + "': use PROTOBUF or JSON", e);
        }
        this.encoding = value;
    }

    public List<MesosAgentTemplate> getTemplates() {
        return templates;
    }

    @DataBoundSetter
    public void setTemplates(List<MesosAgentTemplate> templates) {
        this.templates = templates == null ? new ArrayList<>() : new ArrayList<>(templates);
        this.templates.forEach(t -> t.ownedBy(this));
    }

    /** Whether templates (the cloud's and Jenkinsfiles') may be privileged or mount host paths. */
    public boolean isAllowPrivileged() {
        return allowPrivileged;
    }

    @DataBoundSetter
    public void setAllowPrivileged(boolean allowPrivileged) {
        this.allowPrivileged = allowPrivileged;
    }

    /** UNPRIVILEGED (default), ANY or NONE. */
    public String getJenkinsfileTemplates() {
        return jenkinsfileTemplates == null ? JenkinsfileRules.UNPRIVILEGED : jenkinsfileTemplates;
    }

    @DataBoundSetter
    public void setJenkinsfileTemplates(String jenkinsfileTemplates) {
        String value =
                jenkinsfileTemplates == null || jenkinsfileTemplates.isBlank()
                        ? JenkinsfileRules.UNPRIVILEGED
                        : jenkinsfileTemplates.trim().toUpperCase(Locale.ROOT);
        if (!JenkinsfileRules.MODES.contains(value)) {
            throw new IllegalArgumentException(
                    "Unknown jenkinsfileTemplates '"
                            + jenkinsfileTemplates
                            + "': use UNPRIVILEGED, ANY or NONE");
        }
        this.jenkinsfileTemplates = value;
    }

    /** Image prefixes Jenkinsfile templates may use, one per line; empty: any image. */
    public String getJenkinsfileImagePrefixes() {
        return jenkinsfileImagePrefixes == null ? "" : jenkinsfileImagePrefixes;
    }

    @DataBoundSetter
    public void setJenkinsfileImagePrefixes(String jenkinsfileImagePrefixes) {
        this.jenkinsfileImagePrefixes =
                jenkinsfileImagePrefixes == null ? "" : jenkinsfileImagePrefixes.strip();
    }

    public double getJenkinsfileMaxCpus() {
        return jenkinsfileMaxCpus;
    }

    @DataBoundSetter
    public void setJenkinsfileMaxCpus(String jenkinsfileMaxCpus) {
        this.jenkinsfileMaxCpus =
                number(
                        "jenkinsfileMaxCpus",
                        NumberText.decimal(
                                "jenkinsfileMaxCpus", jenkinsfileMaxCpus, this.jenkinsfileMaxCpus));
    }

    public double getJenkinsfileMaxMemMb() {
        return jenkinsfileMaxMemMb;
    }

    @DataBoundSetter
    public void setJenkinsfileMaxMemMb(String jenkinsfileMaxMemMb) {
        this.jenkinsfileMaxMemMb =
                number(
                        "jenkinsfileMaxMemMb",
                        NumberText.decimal(
                                "jenkinsfileMaxMemMb",
                                jenkinsfileMaxMemMb,
                                this.jenkinsfileMaxMemMb));
    }

    public double getJenkinsfileMaxDiskMb() {
        return jenkinsfileMaxDiskMb;
    }

    @DataBoundSetter
    public void setJenkinsfileMaxDiskMb(String jenkinsfileMaxDiskMb) {
        this.jenkinsfileMaxDiskMb =
                number(
                        "jenkinsfileMaxDiskMb",
                        NumberText.decimal(
                                "jenkinsfileMaxDiskMb",
                                jenkinsfileMaxDiskMb,
                                this.jenkinsfileMaxDiskMb));
    }

    public int getJenkinsfileMaxGpus() {
        return jenkinsfileMaxGpus;
    }

    @DataBoundSetter
    public void setJenkinsfileMaxGpus(String jenkinsfileMaxGpus) {
        this.jenkinsfileMaxGpus =
                number(
                        "jenkinsfileMaxGpus",
                        NumberText.integer(
                                "jenkinsfileMaxGpus", jenkinsfileMaxGpus, this.jenkinsfileMaxGpus));
    }

    /** For the cloud's page: where the framework connection stands. */
    public String getConnectionStatus() {
        return MesosClouds.get()
                .existing(name)
                .map(session -> session.status().state() + ": " + session.status().detail())
                .orElse(
                        "not connected yet (the cloud connects when Jenkins starts and when its"
                                + " configuration is saved; see the log if it stays so)");
    }

    /**
     * For the cloud's page: per template, agents pending/launching/running and why any are still
     * waiting.
     */
    public List<io.jenkins.plugins.mesosagents.engine.TemplateStatus> getTemplateStatuses() {
        return MesosClouds.get()
                .existing(name)
                .map(session -> List.copyOf(session.snapshot().templates().values()))
                .orElse(List.of());
    }

    /**
     * The per-template numbers of the cloud's page as JSON, at {@code cloud/NAME/stats}. Core's
     * Cloud has no {@code getApi()} (jenkins-2.479.3 core/src/main/java/hudson/slaves/Cloud.java),
     * so {@code cloud/NAME/api/json} is not served; this reads with the permission the page itself
     * asks for (core/src/main/resources/hudson/slaves/Cloud/index.jelly:28, SYSTEM_READ).
     */
    public void doStats(org.kohsuke.stapler.StaplerResponse2 rsp) throws java.io.IOException {
        checkPermission(Jenkins.SYSTEM_READ);
        rsp.setContentType("application/json;charset=UTF-8");
        rsp.getWriter()
                .write(
                        CloudFigures.json(
                                name,
                                getTemplateStatuses(),
                                warmPoolsByTemplate(),
                                java.time.Instant.now()));
    }

    /** For the cloud's page: each warm pool's last check (templates without a pool are absent). */
    public List<io.jenkins.plugins.mesosagents.pool.PoolState> getWarmPools() {
        return List.copyOf(warmPoolsByTemplate().values());
    }

    private java.util.Map<String, io.jenkins.plugins.mesosagents.pool.PoolState>
            warmPoolsByTemplate() {
        WarmPoolKeeper keeper = WarmPoolKeeper.find();
        java.util.Map<String, io.jenkins.plugins.mesosagents.pool.PoolState> pools =
                new java.util.LinkedHashMap<>();
        if (keeper != null) {
            for (MesosAgentTemplate t : templates) {
                keeper.state(name, t.getName()).ifPresent(p -> pools.put(t.getName(), p));
            }
        }
        return pools;
    }

    /** For the cloud's page: tasks Mesos keeps refusing (or not answering) to kill, and why. */
    public List<String> getUnkillableTasks() {
        return MesosClouds.get()
                .existing(name)
                .map(session -> session.snapshot().unkillable())
                .orElse(List.of());
    }

    /** For the cloud's page: the jobs that used the most cpu·seconds here in the last 24 hours. */
    public List<io.jenkins.plugins.mesosagents.accounting.UsageWindow.Ranked> getTopJobs() {
        return BuildAccounting.get().top(name, false, 10);
    }

    /**
     * For the cloud's page: the folders that used the most cpu·seconds here in the last 24 hours.
     */
    public List<io.jenkins.plugins.mesosagents.accounting.UsageWindow.Ranked> getTopFolders() {
        return BuildAccounting.get().top(name, true, 10);
    }
}
