package io.jenkins.plugins.mesosagents.cloud;

import hudson.model.AbstractDescribableImpl;
import hudson.model.Node;

import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.InvalidTemplateException;
import io.jenkins.plugins.mesosagents.engine.SecretValue;
import io.jenkins.plugins.mesosagents.engine.TemplateProblem;
import io.jenkins.plugins.mesosagents.pool.WarmPool;
import io.jenkins.plugins.mesosagents.settings.NumberText;
import io.jenkins.plugins.mesosagents.settings.TemplateSettings;
import io.jenkins.plugins.mesosagents.settings.TemplateText;

import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One kind of Mesos agent a {@link MesosCloud} can launch for a label: resources, container,
 * placement and lifecycle, as entered on the cloud's configuration page. XStream persists the
 * fields; {@link #toAgentTemplate()} turns them (through {@link TemplateSettings}) into the
 * engine's validated, immutable {@link AgentTemplate}, reporting every problem with its field.
 */
public class MesosAgentTemplate extends AbstractDescribableImpl<MesosAgentTemplate> {
    private String name;
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
    private WarmPoolSettings warmPool;
    private String inheritFrom = "";

    /**
     * The cloud holding this template, which resolves {@link #inheritFrom} and applies its rules;
     * set by the cloud whenever its templates are set or loaded.
     */
    private transient MesosCloud owner;

    /**
     * Numeric fields whose text was not a number, by field, with the problem: the template is
     * invalid until they are corrected. The numeric setters take the form's text rather than a
     * {@code double}/{@code int} because Stapler binds a primitive through commons-beanutils'
     * default converters, which turn "abc" into 0 without a word: Stapler.lookupConverter (stapler
     * 1903.1905.ve5a_f469356f0, the version jenkins-2.479.3's bom/pom.xml:42 uses,
     * core/src/main/java/org/kohsuke/stapler/Stapler.java:1159) finds ConvertUtilsBean's primitive
     * converters, registered with a ZERO default (commons-beanutils 1.9.4
     * ConvertUtilsBean.java:652), and RequestImpl.injectSetters (RequestImpl.java:1046) passes the
     * result on; the boxed converters (Stapler.java:1268-1270) give null the same way.
     */
    private Map<String, String> notNumbers = new TreeMap<>();

    @DataBoundConstructor
    public MesosAgentTemplate(String name) {
        this.name = name == null ? "" : name.trim();
    }

    /**
     * Defaults for what an older {@code config.xml} does not have: XStream skips the constructor
     * and field initializers, so a field added later is null or 0 after loading. Numbers for which
     * 0 is never valid get their default; the others keep 0 (a saved 0 means 0).
     */
    protected Object readResolve() {
        name = orDefault(name, "");
        labelString = orDefault(labelString, "");
        mode = mode == null ? Node.Mode.EXCLUSIVE : mode;
        role = orDefault(role, AgentTemplate.DEFAULT_ROLE);
        user = orDefault(user, "");
        executors = executors < 1 ? 1 : executors;
        remoteFsRoot = orDefault(remoteFsRoot, AgentTemplate.DEFAULT_REMOTE_FS);
        jvmOptions = orDefault(jvmOptions, "");
        agentArguments = orDefault(agentArguments, "");
        environment = orDefault(environment, "");
        fetchUris = orDefault(fetchUris, "");
        constraints = orDefault(constraints, "");
        faultDomain = orDefault(faultDomain, "HOME_REGION");
        region = orDefault(region, "");
        zone = orDefault(zone, "");
        if (launchTimeoutSeconds <= 0) {
            launchTimeoutSeconds = (int) AgentTemplate.DEFAULT_LAUNCH_TIMEOUT.toSeconds();
        }
        inheritFrom = orDefault(inheritFrom, "");
        return this;
    }

    /**
     * A template with these settings, not part of any cloud's form: what a cloud template with
     * inherited fields, or a Jenkinsfile's template, runs as (its agents read it).
     */
    static MesosAgentTemplate of(TemplateSettings s) {
        MesosAgentTemplate t = new MesosAgentTemplate(s.name());
        t.labelString = s.labelString();
        t.mode = Node.Mode.valueOf(s.mode());
        t.cpus = s.cpus();
        t.memMb = s.memMb();
        t.jvmHeapMb = s.jvmHeapMb();
        t.diskMb = s.diskMb();
        t.gpus = s.gpus();
        t.hostPorts = s.hostPorts();
        t.role = s.role();
        t.user = s.user();
        t.executors = s.executors();
        t.remoteFsRoot = s.remoteFsRoot();
        t.jvmOptions = s.jvmOptions();
        t.agentArguments = s.agentArguments();
        t.environment = s.environment();
        t.fetchUris = s.fetchUris();
        t.container = s.container() == null ? null : ContainerSettings.of(s.container());
        t.constraints = s.constraints();
        t.faultDomain = s.faultDomain();
        t.region = s.region();
        t.zone = s.zone();
        t.instanceCap = s.instanceCap();
        t.idleTerminationMinutes = s.idleTerminationMinutes();
        t.singleUse = s.singleUse();
        t.launchTimeoutSeconds = s.launchTimeoutSeconds();
        t.webSocket = s.webSocket();
        t.inheritFrom = "";
        return t;
    }

    void ownedBy(MesosCloud cloud) {
        owner = cloud;
    }

    /** Fields whose text was not a number, as problems (the previous value is kept meanwhile). */
    List<TemplateProblem> numberProblems() {
        List<TemplateProblem> problems = new ArrayList<>();
        if (notNumbers != null) {
            notNumbers.forEach(
                    (field, message) -> problems.add(new TemplateProblem(field, message)));
        }
        if (warmPool != null) {
            problems.addAll(warmPool.numberProblems());
        }
        return problems;
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    private <T> T number(String field, TemplateText.Parsed<T> parsed) {
        if (notNumbers == null) {
            notNumbers = new TreeMap<>();
        }
        notNumbers.remove(field);
        for (TemplateProblem p : parsed.problems()) {
            notNumbers.put(p.field(), p.message());
        }
        return parsed.value();
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
        List<TemplateProblem> problems = numberProblems();
        AgentTemplate template = null;
        try {
            template = settings().toAgentTemplate(pullConfig);
        } catch (InvalidTemplateException e) {
            problems.addAll(e.problems());
        }
        if (!problems.isEmpty()) {
            throw new InvalidTemplateException(name.isEmpty() ? "(unnamed)" : name, problems);
        }
        return template;
    }

    /**
     * What is wrong with this template as configured, each with its field; empty when valid. In a
     * cloud, that includes its inheritance and the cloud's rules (see {@link
     * MesosCloud#templateProblems}). The pull credentials are not resolved here (a placeholder
     * stands in for them), so this needs no credentials store and shows on the cloud page and in
     * routing decisions alike.
     */
    public List<TemplateProblem> getProblems() {
        if (owner != null) {
            return owner.templateProblems(this);
        }
        SecretValue pullPlaceholder =
                container != null && !container.getPullCredentialsId().isBlank()
                        ? SecretValue.of("{\"auths\":{}}")
                        : null;
        try {
            toAgentTemplate(pullPlaceholder);
            return List.of();
        } catch (InvalidTemplateException e) {
            return e.problems();
        }
    }

    /** Whether jobs may be routed to this template. */
    public boolean isValid() {
        return getProblems().isEmpty();
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
                .inheritFrom(inheritFrom)
                .warmPool(warmPool == null ? null : warmPool.settings())
                .build();
    }

    /** The warm pool the cloud keeps for this template ({@code WarmPool.OFF} for none). */
    public WarmPool pool() {
        return settings().pool();
    }

    public String getName() {
        return name;
    }

    /** The template of the same cloud whose values this one's fields left at the default take. */
    public String getInheritFrom() {
        return inheritFrom == null ? "" : inheritFrom;
    }

    @DataBoundSetter
    public void setInheritFrom(String inheritFrom) {
        this.inheritFrom = inheritFrom == null ? "" : inheritFrom.trim();
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
    public void setCpus(String cpus) {
        this.cpus = number("cpus", NumberText.decimal("cpus", cpus, 1.0));
    }

    public double getMemMb() {
        return memMb;
    }

    @DataBoundSetter
    public void setMemMb(String memMb) {
        this.memMb = number("memMb", NumberText.decimal("memMb", memMb, 1024));
    }

    public int getJvmHeapMb() {
        return jvmHeapMb;
    }

    @DataBoundSetter
    public void setJvmHeapMb(String jvmHeapMb) {
        this.jvmHeapMb = number("jvmHeapMb", NumberText.integer("jvmHeapMb", jvmHeapMb, 0));
    }

    public double getDiskMb() {
        return diskMb;
    }

    @DataBoundSetter
    public void setDiskMb(String diskMb) {
        this.diskMb = number("diskMb", NumberText.decimal("diskMb", diskMb, 0));
    }

    public int getGpus() {
        return gpus;
    }

    @DataBoundSetter
    public void setGpus(String gpus) {
        this.gpus = number("gpus", NumberText.integer("gpus", gpus, 0));
    }

    public int getHostPorts() {
        return hostPorts;
    }

    @DataBoundSetter
    public void setHostPorts(String hostPorts) {
        this.hostPorts = number("hostPorts", NumberText.integer("hostPorts", hostPorts, 0));
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
    public void setExecutors(String executors) {
        this.executors = number("executors", NumberText.integer("executors", executors, 1));
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
    public void setInstanceCap(String instanceCap) {
        this.instanceCap = number("instanceCap", NumberText.integer("instanceCap", instanceCap, 0));
    }

    public int getIdleTerminationMinutes() {
        return idleTerminationMinutes;
    }

    @DataBoundSetter
    public void setIdleTerminationMinutes(String idleTerminationMinutes) {
        this.idleTerminationMinutes =
                number(
                        "idleTerminationMinutes",
                        NumberText.integer("idleTerminationMinutes", idleTerminationMinutes, 3));
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
    public void setLaunchTimeoutSeconds(String launchTimeoutSeconds) {
        this.launchTimeoutSeconds =
                number(
                        "launchTimeoutSeconds",
                        NumberText.integer(
                                "launchTimeoutSeconds",
                                launchTimeoutSeconds,
                                (int) AgentTemplate.DEFAULT_LAUNCH_TIMEOUT.toSeconds()));
    }

    public boolean isWebSocket() {
        return webSocket;
    }

    @DataBoundSetter
    public void setWebSocket(boolean webSocket) {
        this.webSocket = webSocket;
    }

    public WarmPoolSettings getWarmPool() {
        return warmPool;
    }

    @DataBoundSetter
    public void setWarmPool(WarmPoolSettings warmPool) {
        this.warmPool = warmPool;
    }
}
