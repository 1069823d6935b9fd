package io.jenkins.plugins.mesosagents.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable description of one kind of agent: its resources, how its task is launched and where
 * it may be placed. Build one with {@link #builder(String)}; {@link Builder#build()} validates all
 * fields at once and throws {@link InvalidTemplateException} listing every problem with its field
 * name. The label expression is opaque here: the Jenkins layer resolves which template serves a
 * label.
 */
public record AgentTemplate(
        String name,
        String labelExpression,
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
        Map<String, String> environment,
        List<FetchUri> fetchUris,
        ContainerSpec container,
        boolean useImageEntrypoint,
        List<Constraint> constraints,
        FaultDomainPlacement faultDomain,
        int instanceCap,
        int idleTerminationMinutes,
        boolean singleUse,
        Duration launchTimeout,
        boolean webSocket) {

    public static final String DEFAULT_ROLE = "*";
    public static final String DEFAULT_REMOTE_FS = "jenkins";
    public static final Duration DEFAULT_LAUNCH_TIMEOUT = Duration.ofMinutes(5);

    public AgentTemplate {
        environment = Map.copyOf(environment);
        fetchUris = List.copyOf(fetchUris);
        constraints = List.copyOf(constraints);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.labelExpression = labelExpression;
        b.cpus = cpus;
        b.memMb = memMb;
        b.jvmHeapMb = jvmHeapMb;
        b.diskMb = diskMb;
        b.gpus = gpus;
        b.hostPorts = hostPorts;
        b.role = role;
        b.user = user;
        b.executors = executors;
        b.remoteFsRoot = remoteFsRoot;
        b.jvmOptions = jvmOptions;
        b.agentArguments = agentArguments;
        b.environment.putAll(environment);
        b.fetchUris.addAll(fetchUris);
        b.container = container;
        b.useImageEntrypoint = useImageEntrypoint;
        b.constraints.addAll(constraints);
        b.faultDomain = faultDomain;
        b.instanceCap = instanceCap;
        b.idleTerminationMinutes = idleTerminationMinutes;
        b.singleUse = singleUse;
        b.launchTimeout = launchTimeout;
        b.webSocket = webSocket;
        return b;
    }

    /**
     * The agent JVM's -Xmx in MB: as set, or 80% of the task memory (at least 64 MB) to leave room
     * for the JVM.
     */
    public int effectiveJvmHeapMb() {
        return jvmHeapMb > 0 ? jvmHeapMb : (int) Math.max(64, Math.floor(memMb * 0.8));
    }

    /**
     * All host ports taken from an offer: the plain count plus container port mappings asking for
     * any host port.
     */
    public int portsNeeded() {
        return hostPorts + (container == null ? 0 : container.dynamicHostPorts());
    }

    /** Sets every field; unset fields take the documented defaults. */
    public static final class Builder {
        private final String name;
        private String labelExpression = "";
        private double cpus = 1.0;
        private double memMb = 1024;
        private int jvmHeapMb;
        private double diskMb;
        private int gpus;
        private int hostPorts;
        private String role = DEFAULT_ROLE;
        private String user = "";
        private int executors = 1;
        private String remoteFsRoot = DEFAULT_REMOTE_FS;
        private String jvmOptions = "";
        private String agentArguments = "";
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final List<FetchUri> fetchUris = new ArrayList<>();
        private ContainerSpec container;
        private boolean useImageEntrypoint;
        private final List<Constraint> constraints = new ArrayList<>();
        private FaultDomainPlacement faultDomain = FaultDomainPlacement.HOME;
        private int instanceCap;
        private int idleTerminationMinutes = 3;
        private boolean singleUse;
        private Duration launchTimeout = DEFAULT_LAUNCH_TIMEOUT;
        private boolean webSocket = true;

        private Builder(String name) {
            this.name = name;
        }

        public Builder labelExpression(String v) {
            labelExpression = v;
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

        /** 0 derives the heap from {@link #memMb}. */
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

        /** Host ports to allocate from the offer and expose as PORT0.. in the environment. */
        public Builder hostPorts(int v) {
            hostPorts = v;
            return this;
        }

        public Builder role(String v) {
            role = v;
            return this;
        }

        /** The Unix user the task runs as; empty = the framework's user. */
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

        public Builder env(String key, String value) {
            environment.put(key, value);
            return this;
        }

        public Builder fetchUri(FetchUri v) {
            fetchUris.add(v);
            return this;
        }

        public Builder container(ContainerSpec v) {
            container = v;
            return this;
        }

        /**
         * Run the image's own entrypoint (e.g. jenkins/inbound-agent, configured by env) instead of
         * fetching agent.jar.
         */
        public Builder useImageEntrypoint(boolean v) {
            useImageEntrypoint = v;
            return this;
        }

        public Builder constraint(Constraint v) {
            constraints.add(v);
            return this;
        }

        public Builder faultDomain(FaultDomainPlacement v) {
            faultDomain = v;
            return this;
        }

        /** Maximum agents of this template at once; 0 = unlimited. */
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

        public Builder launchTimeout(Duration v) {
            launchTimeout = v;
            return this;
        }

        /** true (default) connects with -webSocket; false uses the TCP inbound agent port. */
        public Builder webSocket(boolean v) {
            webSocket = v;
            return this;
        }

        /** Every problem of the current settings, empty when valid. */
        public List<TemplateProblem> problems() {
            return TemplateValidator.validate(this.unchecked());
        }

        public AgentTemplate build() {
            AgentTemplate t = unchecked();
            List<TemplateProblem> problems = TemplateValidator.validate(t);
            if (!problems.isEmpty()) {
                throw new InvalidTemplateException(Objects.toString(name, "(unnamed)"), problems);
            }
            return t;
        }

        private AgentTemplate unchecked() {
            return new AgentTemplate(
                    name,
                    labelExpression == null ? "" : labelExpression.trim(),
                    cpus,
                    memMb,
                    jvmHeapMb,
                    diskMb,
                    gpus,
                    hostPorts,
                    role == null || role.isBlank() ? DEFAULT_ROLE : role.trim(),
                    user == null ? "" : user.trim(),
                    executors,
                    remoteFsRoot == null ? "" : remoteFsRoot.trim(),
                    jvmOptions == null ? "" : jvmOptions.trim(),
                    agentArguments == null ? "" : agentArguments.trim(),
                    environment,
                    fetchUris,
                    container,
                    useImageEntrypoint,
                    constraints,
                    faultDomain == null ? FaultDomainPlacement.HOME : faultDomain,
                    instanceCap,
                    idleTerminationMinutes,
                    singleUse,
                    launchTimeout,
                    webSocket);
        }
    }
}
