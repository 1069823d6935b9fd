package io.jenkins.plugins.mesosagents.engine;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks an agent template's fields and reports every problem at once, each with its field name.
 */
final class TemplateValidator {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*\\$?");
    private static final Set<String> RESERVED_ENV =
            Set.of(
                    "JENKINS_SECRET",
                    "JENKINS_AGENT_NAME",
                    "JENKINS_NAME",
                    "JENKINS_URL",
                    "JENKINS_AGENT_WORKDIR",
                    "JENKINS_WEB_SOCKET");

    private TemplateValidator() {}

    static List<TemplateProblem> validate(AgentTemplate t) {
        List<TemplateProblem> p = new ArrayList<>();
        if (t.name() == null || !NAME.matcher(t.name()).matches()) {
            p.add(
                    new TemplateProblem(
                            "name",
                            "must be 1-63 characters of letters, digits, '.', '_' or '-', starting"
                                    + " with a letter or digit (it becomes part of agent and task"
                                    + " names); was '"
                                    + t.name()
                                    + "'"));
        }
        if (!(t.cpus() > 0) || Double.isInfinite(t.cpus())) {
            p.add(
                    new TemplateProblem(
                            "cpus", "must be a positive number, e.g. 0.5 or 2; was " + t.cpus()));
        }
        if (!(t.memMb() >= 32) || Double.isInfinite(t.memMb())) {
            p.add(
                    new TemplateProblem(
                            "memMb",
                            "must be at least 32 MB (the agent JVM needs memory); was "
                                    + t.memMb()));
        }
        if (t.jvmHeapMb() < 0 || (t.jvmHeapMb() > 0 && t.jvmHeapMb() >= t.memMb())) {
            p.add(
                    new TemplateProblem(
                            "jvmHeapMb",
                            "must be 0 (derive from memory) or below memMb ("
                                    + t.memMb()
                                    + ") so the JVM's non-heap memory fits in the task; was "
                                    + t.jvmHeapMb()));
        }
        if (!(t.diskMb() >= 0) || Double.isInfinite(t.diskMb())) {
            p.add(new TemplateProblem("diskMb", "must be 0 or more MB; was " + t.diskMb()));
        }
        if (t.gpus() < 0) {
            p.add(new TemplateProblem("gpus", "must be 0 or more; was " + t.gpus()));
        }
        if (t.hostPorts() < 0 || t.hostPorts() > 100) {
            p.add(
                    new TemplateProblem(
                            "hostPorts", "must be between 0 and 100; was " + t.hostPorts()));
        }
        MesosLaunchRules.role(t.role(), p);
        if (!t.user().isEmpty() && !USER.matcher(t.user()).matches()) {
            p.add(
                    new TemplateProblem(
                            "user",
                            "must be the name of a Unix user that exists on the Mesos agents"
                                    + " (letters, digits, '.', '_', '-'; no uid:gid, no spaces);"
                                    + " was '"
                                    + t.user()
                                    + "'"));
        }
        if (t.executors() < 1 || t.executors() > 100) {
            p.add(
                    new TemplateProblem(
                            "executors", "must be between 1 and 100; was " + t.executors()));
        }
        if (t.remoteFsRoot().isEmpty()) {
            p.add(
                    new TemplateProblem(
                            "remoteFsRoot",
                            "must not be empty (e.g. 'jenkins' inside the sandbox)"));
        }
        for (Map.Entry<String, String> e : t.environment().entrySet()) {
            if (!ENV_NAME.matcher(e.getKey()).matches()) {
                p.add(
                        new TemplateProblem(
                                "environment",
                                "variable name '"
                                        + e.getKey()
                                        + "' is not a valid name (letters, digits and '_', not"
                                        + " starting with a digit)"));
            } else if (RESERVED_ENV.contains(e.getKey())) {
                p.add(
                        new TemplateProblem(
                                "environment",
                                "variable "
                                        + e.getKey()
                                        + " is set by the plugin for the agent connection; remove"
                                        + " it from the template"));
            }
            if (e.getValue() == null) {
                p.add(
                        new TemplateProblem(
                                "environment", "variable " + e.getKey() + " has no value"));
            }
        }
        for (FetchUri u : t.fetchUris()) {
            validateUri(u.uri(), p);
        }
        validateContainer(t, p);
        for (Constraint c : t.constraints()) {
            validateConstraint(c, p);
        }
        if (t.faultDomain().mode() == FaultDomainPlacement.Mode.REGION
                && t.faultDomain().region().isBlank()) {
            p.add(new TemplateProblem("faultDomain", "a region placement needs the region name"));
        }
        if (t.instanceCap() < 0) {
            p.add(
                    new TemplateProblem(
                            "instanceCap",
                            "must be 0 (unlimited) or more; was " + t.instanceCap()));
        }
        if (t.idleTerminationMinutes() < 0) {
            p.add(
                    new TemplateProblem(
                            "idleTerminationMinutes",
                            "must be 0 or more; was " + t.idleTerminationMinutes()));
        }
        Duration lt = t.launchTimeout();
        if (lt == null
                || lt.compareTo(Duration.ofSeconds(1)) < 0
                || lt.compareTo(Duration.ofDays(1)) > 0) {
            p.add(
                    new TemplateProblem(
                            "launchTimeout",
                            "must be between 1 second and 1 day (the default is 5 minutes);"
                                    + " was "
                                    + lt));
        }
        return p;
    }

    private static void validateUri(String uri, List<TemplateProblem> p) {
        if (uri.isBlank()) {
            p.add(new TemplateProblem("fetchUris", "a fetch URI is empty"));
            return;
        }
        if (MesosLaunchRules.fetchUriRefused(uri, p)) {
            return;
        }
        try {
            URI parsed = new URI(uri);
            if (parsed.getScheme() == null && !uri.startsWith("/")) {
                p.add(
                        new TemplateProblem(
                                "fetchUris",
                                "'"
                                        + uri
                                        + "' needs a scheme (http://, https://, hdfs://, ...)"
                                        + " or an absolute path on the Mesos agent"));
            }
        } catch (URISyntaxException e) {
            p.add(
                    new TemplateProblem(
                            "fetchUris", "'" + uri + "' is not a valid URI: " + e.getReason()));
        }
    }

    private static void validateContainer(AgentTemplate t, List<TemplateProblem> p) {
        ContainerSpec c = t.container();
        if (c == null) {
            if (t.useImageEntrypoint()) {
                p.add(
                        new TemplateProblem(
                                "useImageEntrypoint",
                                "needs a container image (e.g. jenkins/inbound-agent)"));
            }
            return;
        }
        if (c.image().isBlank() || c.image().chars().anyMatch(Character::isWhitespace)) {
            p.add(
                    new TemplateProblem(
                            "container.image",
                            "must name a Docker image such as"
                                    + " 'jenkins/inbound-agent:latest-jdk17'; was '"
                                    + c.image()
                                    + "'"));
        }
        if (c.type() == ContainerSpec.Type.DOCKER && c.pullConfig() != null) {
            p.add(
                    new TemplateProblem(
                            "container.pullConfig",
                            "the DOCKER containerizer does not support pull secrets; use the MESOS"
                                    + " containerizer or the Mesos agent's --docker_config"));
        }
        if (c.type() == ContainerSpec.Type.MESOS) {
            if (c.privileged()) {
                p.add(
                        new TemplateProblem(
                                "container.privileged",
                                "is only supported by the DOCKER containerizer"));
            }
            if (!c.dockerParameters().isEmpty()) {
                p.add(
                        new TemplateProblem(
                                "container.dockerParameters",
                                "are only supported by the DOCKER containerizer"));
            }
        }
        if (c.pullConfig() != null && !c.pullConfig().reveal().contains("\"auths\"")) {
            p.add(
                    new TemplateProblem(
                            "container.pullConfig",
                            "must be a docker config.json with an \"auths\" object"));
        }
        if (c.network() == ContainerSpec.Network.USER && c.cniNetworks().isEmpty()) {
            p.add(
                    new TemplateProblem(
                            "container.cniNetworks",
                            "network USER needs at least one named CNI network"));
        }
        MesosLaunchRules.container(t, c, p);
        for (ContainerSpec.PortMapping m : c.portMappings()) {
            if (m.containerPort() < 1
                    || m.containerPort() > 65535
                    || m.hostPort() < 0
                    || m.hostPort() > 65535) {
                p.add(
                        new TemplateProblem(
                                "container.portMappings",
                                "port mapping "
                                        + m.hostPort()
                                        + "->"
                                        + m.containerPort()
                                        + " is out of range (container 1-65535, host 0-65535 with 0"
                                        + " = any offered port)"));
            }
            if (!m.protocol().equals("tcp") && !m.protocol().equals("udp")) {
                p.add(
                        new TemplateProblem(
                                "container.portMappings",
                                "protocol must be tcp or udp; was " + m.protocol()));
            }
        }
        if (!c.portMappings().isEmpty()
                && c.type() == ContainerSpec.Type.DOCKER
                && c.network() == ContainerSpec.Network.HOST) {
            p.add(
                    new TemplateProblem(
                            "container.portMappings",
                            "port mappings need network BRIDGE or USER, not HOST"));
        }
        for (ContainerSpec.Parameter param : c.dockerParameters()) {
            if (param.key() == null || param.key().isBlank()) {
                p.add(
                        new TemplateProblem(
                                "container.dockerParameters", "a docker parameter has no key"));
            }
        }
        for (ContainerSpec.Volume v : c.volumes()) {
            if (v.containerPath() == null || v.containerPath().isBlank()) {
                p.add(new TemplateProblem("container.volumes", "a volume has no container path"));
            }
            if (v.hostPath() == null || !v.hostPath().startsWith("/")) {
                p.add(
                        new TemplateProblem(
                                "container.volumes",
                                "host path must be absolute; was '" + v.hostPath() + "'"));
            }
        }
    }

    private static void validateConstraint(Constraint c, List<TemplateProblem> p) {
        String where = "constraints[" + c + "]";
        if (c.attribute().isBlank()) {
            p.add(new TemplateProblem(where, "needs an attribute name (or 'hostname')"));
        }
        switch (c.operator()) {
            case EQ -> {
                if (c.value().isEmpty()) {
                    p.add(new TemplateProblem(where, "EQ needs a value to compare with"));
                }
            }
            case LIKE, UNLIKE -> {
                try {
                    Pattern.compile(c.value());
                } catch (PatternSyntaxException e) {
                    p.add(
                            new TemplateProblem(
                                    where,
                                    "'"
                                            + c.value()
                                            + "' is not a valid regular expression: "
                                            + e.getDescription()));
                }
            }
            case GROUP_BY -> {
                if (!c.value().isEmpty() && !c.value().matches("[1-9][0-9]{0,3}")) {
                    p.add(
                            new TemplateProblem(
                                    where,
                                    "GROUP_BY takes an optional number of groups; was '"
                                            + c.value()
                                            + "'"));
                }
            }
            case UNIQUE, CLUSTER -> {}
        }
    }
}
