package io.jenkins.plugins.mesosagents.engine;

import com.google.protobuf.ByteString;

import org.apache.mesos.v1.Protos.AgentID;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.Environment;
import org.apache.mesos.v1.Protos.Image;
import org.apache.mesos.v1.Protos.Label;
import org.apache.mesos.v1.Protos.Labels;
import org.apache.mesos.v1.Protos.NetworkInfo;
import org.apache.mesos.v1.Protos.Parameter;
import org.apache.mesos.v1.Protos.Resource;
import org.apache.mesos.v1.Protos.Secret;
import org.apache.mesos.v1.Protos.TaskID;
import org.apache.mesos.v1.Protos.TaskInfo;
import org.apache.mesos.v1.Protos.Value;
import org.apache.mesos.v1.Protos.Volume;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a placement into the TaskInfo of an inbound agent. The command fetches the controller's own
 * {@code jnlpJars/agent.jar} and runs it with {@code -url -name -workDir [-webSocket]}, naming
 * every sandbox file by its absolute {@code $MESOS_SANDBOX} path because a container starts in its
 * image's WORKDIR, not in the sandbox. The agent secret travels in the environment ({@code
 * JENKINS_SECRET}) and reaches remoting through a named pipe in the sandbox ({@code -secret @file},
 * read by args4j when remoting parses its arguments) that is removed once read, so it is in neither
 * the command line, the process arguments, the labels nor a file at rest.
 */
public final class TaskInfoFactory {
    public static final String LABEL_CLOUD = "io.jenkins.mesos-agents/cloud";
    public static final String LABEL_AGENT = "io.jenkins.mesos-agents/agent";
    public static final String LABEL_TEMPLATE = "io.jenkins.mesos-agents/template";
    static final String SECRET_FILE = ".jenkins-agent-secret";

    private final EngineConfig config;

    TaskInfoFactory(EngineConfig config) {
        this.config = config;
    }

    TaskInfo build(OfferMatcher.Placement placement, String agentName, SecretValue secret) {
        OfferView offer = placement.offer();
        AgentTemplate t = placement.template();
        Prepared prepared = prepared(t);
        TaskInfo.Builder task =
                TaskInfo.newBuilder()
                        .setName(agentName)
                        .setTaskId(TaskID.newBuilder().setValue(agentName))
                        .setAgentId(AgentID.newBuilder().setValue(offer.agentId))
                        .addAllResources(slice(offer, t, placement.ports()))
                        .setCommand(command(prepared, agentName, secret, placement.ports()))
                        .setLabels(
                                prepared.labels.toBuilder()
                                        .addLabels(label(LABEL_AGENT, agentName)));
        if (t.container() != null) {
            task.setContainer(
                    prepared.container != null
                            ? prepared.container
                            : container(t.container(), t.user(), placement.ports()));
        }
        return task.build();
    }

    /**
     * What is the same for every agent of a template, built once per template (templates are
     * immutable).
     */
    private record Prepared(
            CommandInfo command,
            String commandPrefix,
            String commandSuffix,
            Labels labels,
            ContainerInfo container) {}

    private final Map<AgentTemplate, Prepared> prepared = new IdentityHashMap<>();

    private Prepared prepared(AgentTemplate t) {
        Prepared p = prepared.get(t);
        if (p == null) {
            if (prepared.size() > 256) {
                prepared.clear();
            }
            p = prepare(t);
            prepared.put(t, p);
        }
        return p;
    }

    private Prepared prepare(AgentTemplate t) {
        CommandInfo.Builder cmd = CommandInfo.newBuilder();
        Environment.Builder env = Environment.newBuilder();
        Map<String, String> vars = new LinkedHashMap<>(t.environment());
        vars.put("JENKINS_URL", config.jenkinsUrl());
        vars.put("JENKINS_AGENT_WORKDIR", t.remoteFsRoot());
        if (t.webSocket()) {
            vars.put("JENKINS_WEB_SOCKET", "true");
        }
        for (Map.Entry<String, String> e : vars.entrySet()) {
            env.addVariables(
                    Environment.Variable.newBuilder().setName(e.getKey()).setValue(e.getValue()));
        }
        cmd.setEnvironment(env);
        if (!t.user().isEmpty()) {
            cmd.setUser(t.user());
        }
        for (FetchUri u : t.fetchUris()) {
            cmd.addUris(
                    CommandInfo.URI
                            .newBuilder()
                            .setValue(u.uri())
                            .setExtract(u.extract())
                            .setExecutable(u.executable())
                            .setCache(u.cache()));
        }
        String prefix = "";
        String suffix = "";
        if (t.useImageEntrypoint()) {
            cmd.setShell(false);
        } else {
            cmd.addUris(
                    CommandInfo.URI
                            .newBuilder()
                            .setValue(config.jenkinsUrl() + "jnlpJars/agent.jar")
                            .setExtract(false)
                            .setExecutable(false)
                            .setCache(false));
            cmd.setShell(true);
            String marker =
                    String.valueOf(
                            (char) 0); // cannot occur in a template field; split point for the name
            String full = launchCommand(t, marker);
            int at = full.indexOf(quote(marker));
            prefix = full.substring(0, at);
            suffix = full.substring(at + quote(marker).length());
        }
        Labels labels =
                Labels.newBuilder()
                        .addLabels(label(LABEL_CLOUD, config.cloudName()))
                        .addLabels(label(LABEL_TEMPLATE, t.name()))
                        .build();
        ContainerInfo container =
                t.container() != null && t.container().portMappings().isEmpty()
                        ? container(t.container(), t.user(), new long[0])
                        : null;
        return new Prepared(cmd.build(), prefix, suffix, labels, container);
    }

    private static Label label(String key, String value) {
        return Label.newBuilder().setKey(key).setValue(value).build();
    }

    CommandInfo command(AgentTemplate t, String agentName, SecretValue secret, long[] ports) {
        return command(prepared(t), agentName, secret, ports);
    }

    private static CommandInfo command(
            Prepared p, String agentName, SecretValue secret, long[] ports) {
        CommandInfo.Builder cmd = p.command.toBuilder();
        Environment.Builder env = cmd.getEnvironmentBuilder();
        env.addVariables(variable("JENKINS_AGENT_NAME", agentName));
        env.addVariables(variable("JENKINS_NAME", agentName));
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < ports.length; i++) {
            env.addVariables(variable("PORT" + i, Long.toString(ports[i])));
            all.append(i == 0 ? "" : ",").append(ports[i]);
        }
        if (ports.length > 0) {
            env.addVariables(variable("PORTS", all.toString()));
        }
        env.addVariables(variable("JENKINS_SECRET", secret.reveal()));
        if (cmd.getShell()) {
            cmd.setValue(p.commandPrefix + quote(agentName) + p.commandSuffix);
        }
        return cmd.build();
    }

    private static Environment.Variable variable(String name, String value) {
        return Environment.Variable.newBuilder().setName(name).setValue(value).build();
    }

    /**
     * The shell command; it names the secret pipe, never the secret. The pipe's writer blocks until
     * the agent opens it, then removes it: nothing else can read the secret from the sandbox
     * afterwards (the agent's /files API serves the sandbox).
     */
    String launchCommand(AgentTemplate t, String agentName) {
        String secretFile = "\"$MESOS_SANDBOX/" + SECRET_FILE + "\"";
        StringBuilder s =
                new StringBuilder()
                        .append("mkfifo -m 600 ")
                        .append(secretFile)
                        .append(" && { printf '%s' \"$JENKINS_SECRET\" > ")
                        .append(secretFile)
                        .append(" && rm -f ")
                        .append(secretFile)
                        .append(" & } && exec java");
        if (!t.jvmOptions().contains("-Xmx")) {
            s.append(" -Xmx").append(t.effectiveJvmHeapMb()).append('m');
        }
        if (!t.jvmOptions().isEmpty()) {
            s.append(' ').append(t.jvmOptions());
        }
        s.append(" -jar \"$MESOS_SANDBOX/agent.jar\" -url ")
                .append(quote(config.jenkinsUrl()))
                .append(" -name ")
                .append(quote(agentName))
                .append(" -secret @")
                .append(secretFile)
                .append(" -workDir ")
                .append(
                        t.remoteFsRoot().startsWith("/")
                                ? quote(t.remoteFsRoot())
                                : "\"$MESOS_SANDBOX\"/" + quote(t.remoteFsRoot()));
        if (t.webSocket()) {
            s.append(" -webSocket");
        }
        if (!t.agentArguments().isEmpty()) {
            s.append(' ').append(t.agentArguments());
        }
        return s.toString();
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static ContainerInfo container(ContainerSpec c, String taskUser, long[] ports) {
        ContainerInfo.Builder ci = ContainerInfo.newBuilder();
        List<long[]> hostToContainer = new ArrayList<>();
        // the offer's ports start with each fixed host port once (tcp and udp may share one)
        int dynamicNext = PlacementRules.fixedHostPorts(c).size();
        for (ContainerSpec.PortMapping m : c.portMappings()) {
            long host = m.hostPort() > 0 ? m.hostPort() : ports[dynamicNext++];
            hostToContainer.add(new long[] {host, m.containerPort()});
        }
        for (ContainerSpec.Volume v : c.volumes()) {
            ci.addVolumes(
                    Volume.newBuilder()
                            .setContainerPath(v.containerPath())
                            .setHostPath(v.hostPath())
                            .setMode(v.readOnly() ? Volume.Mode.RO : Volume.Mode.RW));
        }
        if (c.type() == ContainerSpec.Type.DOCKER) {
            ContainerInfo.DockerInfo.Builder d =
                    ContainerInfo.DockerInfo.newBuilder()
                            .setImage(c.image())
                            .setNetwork(
                                    ContainerInfo.DockerInfo.Network.valueOf(c.network().name()))
                            .setPrivileged(c.privileged())
                            .setForcePullImage(c.forcePull());
            for (int i = 0; i < hostToContainer.size(); i++) {
                d.addPortMappings(
                        ContainerInfo.DockerInfo.PortMapping.newBuilder()
                                .setHostPort((int) hostToContainer.get(i)[0])
                                .setContainerPort((int) hostToContainer.get(i)[1])
                                .setProtocol(c.portMappings().get(i).protocol()));
            }
            for (ContainerSpec.Parameter p : c.dockerParameters()) {
                d.addParameters(
                        Parameter.newBuilder()
                                .setKey(p.key())
                                .setValue(p.value() == null ? "" : p.value()));
            }
            if (c.runAsTaskUser()) {
                // the Docker containerizer runs the image's USER: docker.cpp passes no --user
                d.addParameters(Parameter.newBuilder().setKey("user").setValue(taskUser));
            }
            ci.setType(ContainerInfo.Type.DOCKER).setDocker(d);
            if (c.network() == ContainerSpec.Network.USER) {
                for (String n : c.cniNetworks()) {
                    ci.addNetworkInfos(NetworkInfo.newBuilder().setName(n));
                }
            }
            return ci.build();
        }
        Image.Docker.Builder docker = Image.Docker.newBuilder().setName(c.image());
        if (!c.pullSecretName().isEmpty()) {
            docker.setConfig(
                    Secret.newBuilder()
                            .setType(Secret.Type.REFERENCE)
                            .setReference(
                                    Secret.Reference.newBuilder().setName(c.pullSecretName())));
        } else if (c.pullConfig() != null) {
            docker.setConfig(
                    Secret.newBuilder()
                            .setType(Secret.Type.VALUE)
                            .setValue(
                                    Secret.Value.newBuilder()
                                            .setData(
                                                    ByteString.copyFrom(
                                                            c.pullConfig().reveal(),
                                                            StandardCharsets.UTF_8))));
        }
        ci.setType(ContainerInfo.Type.MESOS)
                .setMesos(
                        ContainerInfo.MesosInfo.newBuilder()
                                .setImage(
                                        Image.newBuilder()
                                                .setType(Image.Type.DOCKER)
                                                .setDocker(docker)
                                                .setCached(!c.forcePull())));
        for (String n : c.cniNetworks()) {
            NetworkInfo.Builder ni = NetworkInfo.newBuilder().setName(n);
            for (int i = 0; i < hostToContainer.size(); i++) {
                ni.addPortMappings(
                        NetworkInfo.PortMapping.newBuilder()
                                .setHostPort((int) hostToContainer.get(i)[0])
                                .setContainerPort((int) hostToContainer.get(i)[1])
                                .setProtocol(c.portMappings().get(i).protocol()));
            }
            ci.addNetworkInfos(ni);
        }
        return ci.build();
    }

    /**
     * Cuts the task's resources out of the offer's pieces, reserved pieces first, keeping each
     * piece's role, reservations and allocation info (required for MULTI_ROLE offers).
     */
    static List<Resource> slice(OfferView offer, AgentTemplate t, long[] ports) {
        List<Resource> out = new ArrayList<>(5);
        for (Resources.Kind k : Resources.Kind.values()) {
            double need = Resources.need(t, k);
            if (need <= 0) {
                continue;
            }
            for (int pass = 0; pass < 2 && need > 0.0005; pass++) {
                List<Resource> pieces = offer.offer.getResourcesList();
                for (int i = 0; i < pieces.size() && need > 0.0005; i++) {
                    Resource r = pieces.get(i);
                    double rem = offer.pieces()[i];
                    if (!r.getName().equals(k.mesosName)
                            || Double.isNaN(rem)
                            || rem <= 0.0005
                            || isReserved(r) != (pass == 0)) {
                        continue;
                    }
                    double take = Math.min(rem, need);
                    offer.pieces()[i] = rem - take;
                    need -= take;
                    out.add(
                            r.toBuilder()
                                    .setScalar(Value.Scalar.newBuilder().setValue(round3(take)))
                                    .build());
                }
            }
        }
        if (ports.length > 0) {
            Map<Integer, Value.Ranges.Builder> byPiece = new TreeMap<>();
            for (long p : ports) {
                byPiece.computeIfAbsent(offer.pieceOfPort(p), i -> Value.Ranges.newBuilder())
                        .addRange(Value.Range.newBuilder().setBegin(p).setEnd(p));
            }
            for (Map.Entry<Integer, Value.Ranges.Builder> e : byPiece.entrySet()) {
                out.add(
                        offer.offer.getResources(e.getKey()).toBuilder()
                                .setRanges(e.getValue())
                                .build());
            }
        }
        return out;
    }

    private static boolean isReserved(Resource r) {
        return r.getReservationsCount() > 0
                || r.hasReservation()
                || (r.hasRole() && !r.getRole().equals("*"));
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
