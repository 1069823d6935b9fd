package io.jenkins.plugins.mesosagents.settings;

import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.ContainerSpec;
import io.jenkins.plugins.mesosagents.engine.FaultDomainPlacement;
import io.jenkins.plugins.mesosagents.engine.InvalidTemplateException;
import io.jenkins.plugins.mesosagents.engine.SecretValue;
import io.jenkins.plugins.mesosagents.engine.TemplateProblem;
import io.jenkins.plugins.mesosagents.pool.WarmPool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An agent template as configured: the fields of the cloud form's template section (and of its
 * JCasC block), named exactly like them, as plain values with the form's defaults. {@link
 * #toAgentTemplate} is the one place these settings become the engine's validated {@link
 * AgentTemplate}; the Jenkins form and the test-cluster tools both go through it.
 */
public record TemplateSettings(
        String name,
        String labelString,
        String mode,
        double cpus,
        double memMb,
        int jvmHeapMb,
        double diskMb,
        int gpus,
        int hostPorts,
        String role,
        String user,
        int executors,
        String remoteFsRoot,
        String jvmOptions,
        String agentArguments,
        String environment,
        String fetchUris,
        ContainerSetup container,
        String constraints,
        String faultDomain,
        String region,
        String zone,
        int instanceCap,
        int idleTerminationMinutes,
        boolean singleUse,
        int launchTimeoutSeconds,
        boolean webSocket,
        String inheritFrom,
        WarmPoolSetup warmPool) {

    /** Jenkins' {@code Node.Mode} names: NORMAL also serves jobs without a label. */
    public static final List<String> MODES = List.of("NORMAL", "EXCLUSIVE");

    public TemplateSettings {
        name = name == null ? "" : name.trim();
        labelString = labelString == null ? "" : labelString.trim();
        mode = mode == null || mode.isBlank() ? "EXCLUSIVE" : mode.trim().toUpperCase(Locale.ROOT);
        role = role == null || role.isBlank() ? AgentTemplate.DEFAULT_ROLE : role.trim();
        user = user == null ? "" : user.trim();
        remoteFsRoot =
                remoteFsRoot == null || remoteFsRoot.isBlank()
                        ? AgentTemplate.DEFAULT_REMOTE_FS
                        : remoteFsRoot.trim();
        jvmOptions = jvmOptions == null ? "" : jvmOptions.trim();
        agentArguments = agentArguments == null ? "" : agentArguments.trim();
        environment = environment == null ? "" : environment;
        fetchUris = fetchUris == null ? "" : fetchUris;
        constraints = constraints == null ? "" : constraints;
        faultDomain =
                faultDomain == null || faultDomain.isBlank() ? "HOME_REGION" : faultDomain.trim();
        region = region == null ? "" : region.trim();
        zone = zone == null ? "" : zone.trim();
        inheritFrom = inheritFrom == null ? "" : inheritFrom.trim();
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder holding these values, under another name. */
    public Builder toBuilder(String newName) {
        return builder(newName)
                .labelString(labelString)
                .mode(mode)
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
                .container(container)
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
                .warmPool(warmPool);
    }

    /**
     * The engine's template.
     *
     * @param pullConfig the Docker config JSON with the container's pull credentials (see {@link
     *     DockerPullConfig}); null for none
     * @throws InvalidTemplateException listing every problem, each with its field
     */
    public AgentTemplate toAgentTemplate(SecretValue pullConfig) {
        List<TemplateProblem> problems = new ArrayList<>();
        if (!MODES.contains(mode)) {
            problems.add(
                    new TemplateProblem(
                            "mode", "unknown usage '" + mode + "'; use NORMAL or EXCLUSIVE"));
        }
        AgentTemplate.Builder b =
                AgentTemplate.builder(name)
                        .labelExpression(labelString)
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
                        .useImageEntrypoint(container != null && container.useImageEntrypoint())
                        .instanceCap(instanceCap)
                        .idleTerminationMinutes(idleTerminationMinutes)
                        .singleUse(singleUse)
                        .launchTimeout(Duration.ofSeconds(launchTimeoutSeconds))
                        .webSocket(webSocket);
        collect(TemplateText.environment("environment", environment), problems).forEach(b::env);
        collect(TemplateText.fetchUris("fetchUris", fetchUris), problems).forEach(b::fetchUri);
        collect(TemplateText.constraints("constraints", constraints), problems)
                .forEach(b::constraint);
        b.faultDomain(faultDomainPlacement(problems));
        ContainerSpec spec = containerSpec(problems, pullConfig);
        if (spec != null) {
            b.container(spec);
        }
        if (warmPool != null) {
            warmPool.toWarmPool(problems);
        }
        problems.addAll(b.problems());
        if (!problems.isEmpty()) {
            throw new InvalidTemplateException(name.isEmpty() ? "(unnamed)" : name, problems);
        }
        return b.build();
    }

    /**
     * The warm pool the cloud keeps for this template: {@link WarmPool#OFF} when none is set or it
     * is invalid (an invalid pool makes the template invalid, see {@link #toAgentTemplate}).
     */
    public WarmPool pool() {
        WarmPool pool = warmPool == null ? null : warmPool.toWarmPool(new ArrayList<>());
        return pool == null ? WarmPool.OFF : pool;
    }

    private FaultDomainPlacement faultDomainPlacement(List<TemplateProblem> problems) {
        switch (faultDomain) {
            case "ANY":
                return FaultDomainPlacement.ANYWHERE;
            case "REGION":
                if (region.isBlank()) {
                    problems.add(
                            new TemplateProblem(
                                    "region",
                                    "enter the region the agents must run in, or choose another"
                                            + " placement"));
                }
                return FaultDomainPlacement.in(region, zone);
            case "HOME_REGION":
                return FaultDomainPlacement.HOME;
            default:
                problems.add(
                        new TemplateProblem(
                                "faultDomain",
                                "unknown placement '"
                                        + faultDomain
                                        + "'; use HOME_REGION, ANY or REGION"));
                return FaultDomainPlacement.HOME;
        }
    }

    private ContainerSpec containerSpec(List<TemplateProblem> problems, SecretValue pullConfig) {
        if (container == null) {
            if (pullConfig != null) {
                problems.add(
                        new TemplateProblem(
                                "container.pullCredentialsId",
                                "pull credentials need a container image"));
            }
            return null;
        }
        return container.toContainerSpec(problems, pullConfig);
    }

    private static <T> T collect(TemplateText.Parsed<T> parsed, List<TemplateProblem> problems) {
        problems.addAll(parsed.problems());
        return parsed.value();
    }

    /** The optional fields, with the form's defaults; method names are the form's field names. */
    public static final class Builder {
        private final String name;
        private String labelString = "";
        private String mode = "EXCLUSIVE";
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
        private ContainerSetup container;
        private String constraints = "";
        private String faultDomain = "HOME_REGION";
        private String region = "";
        private String zone = "";
        private int instanceCap;
        private int idleTerminationMinutes = 3;
        private boolean singleUse;
        private int launchTimeoutSeconds = (int) AgentTemplate.DEFAULT_LAUNCH_TIMEOUT.toSeconds();
        private boolean webSocket = true;
        private String inheritFrom = "";
        private WarmPoolSetup warmPool;

        private Builder(String name) {
            this.name = name;
        }

        public Builder labelString(String v) {
            labelString = v;
            return this;
        }

        /** NORMAL or EXCLUSIVE, as Jenkins' {@code Node.Mode}. */
        public Builder mode(String v) {
            mode = v;
            return this;
        }

        public Builder cpus(double v) {
            cpus = v;
            return this;
        }

        public Builder memMb(double v) {
            memMb = v;
            return this;
        }

        public Builder jvmHeapMb(int v) {
            jvmHeapMb = v;
            return this;
        }

        public Builder diskMb(double v) {
            diskMb = v;
            return this;
        }

        public Builder gpus(int v) {
            gpus = v;
            return this;
        }

        public Builder hostPorts(int v) {
            hostPorts = v;
            return this;
        }

        public Builder role(String v) {
            role = v;
            return this;
        }

        public Builder user(String v) {
            user = v;
            return this;
        }

        public Builder executors(int v) {
            executors = v;
            return this;
        }

        public Builder remoteFsRoot(String v) {
            remoteFsRoot = v;
            return this;
        }

        public Builder jvmOptions(String v) {
            jvmOptions = v;
            return this;
        }

        public Builder agentArguments(String v) {
            agentArguments = v;
            return this;
        }

        public Builder environment(String v) {
            environment = v;
            return this;
        }

        public Builder fetchUris(String v) {
            fetchUris = v;
            return this;
        }

        /** Null: a plain command task on the agent host. */
        public Builder container(ContainerSetup v) {
            container = v;
            return this;
        }

        public Builder constraints(String v) {
            constraints = v;
            return this;
        }

        /** HOME_REGION, ANY or REGION (with {@link #region} and optionally {@link #zone}). */
        public Builder faultDomain(String v) {
            faultDomain = v;
            return this;
        }

        public Builder region(String v) {
            region = v;
            return this;
        }

        public Builder zone(String v) {
            zone = v;
            return this;
        }

        public Builder instanceCap(int v) {
            instanceCap = v;
            return this;
        }

        public Builder idleTerminationMinutes(int v) {
            idleTerminationMinutes = v;
            return this;
        }

        public Builder singleUse(boolean v) {
            singleUse = v;
            return this;
        }

        public Builder launchTimeoutSeconds(int v) {
            launchTimeoutSeconds = v;
            return this;
        }

        public Builder webSocket(boolean v) {
            webSocket = v;
            return this;
        }

        public Builder warmPool(WarmPoolSetup v) {
            warmPool = v;
            return this;
        }

        /**
         * The template whose values this one's unset fields take ({@link TemplateInheritance});
         * blank for none.
         */
        public Builder inheritFrom(String v) {
            inheritFrom = v;
            return this;
        }

        public TemplateSettings build() {
            return new TemplateSettings(
                    name,
                    labelString,
                    mode,
                    cpus,
                    memMb,
                    jvmHeapMb,
                    diskMb,
                    gpus,
                    hostPorts,
                    role,
                    user,
                    executors,
                    remoteFsRoot,
                    jvmOptions,
                    agentArguments,
                    environment,
                    fetchUris,
                    container,
                    constraints,
                    faultDomain,
                    region,
                    zone,
                    instanceCap,
                    idleTerminationMinutes,
                    singleUse,
                    launchTimeoutSeconds,
                    webSocket,
                    inheritFrom,
                    warmPool);
        }
    }
}
