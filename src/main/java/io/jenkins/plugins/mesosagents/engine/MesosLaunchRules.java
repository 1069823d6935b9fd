package io.jenkins.plugins.mesosagents.engine;

import io.jenkins.plugins.mesosagents.mesos.MesosRoles;

import java.util.List;

/**
 * What a Mesos 1.11 master or agent refuses in the TaskInfo a template becomes, checked when the
 * template is built and reported with Mesos' own words (and the Mesos source they come from), so a
 * template fails in the form and not as TASK_ERROR or TASK_FAILED on every launch.
 */
final class MesosLaunchRules {
    private MesosLaunchRules() {}

    /** roles::validate (src/common/roles.cpp:85-140), hierarchical roles included. */
    static void role(String role, List<TemplateProblem> p) {
        MesosRoles.problem(role)
                .ifPresent(
                        problem ->
                                p.add(
                                        new TemplateProblem(
                                                "role",
                                                "the Mesos master refuses it: "
                                                        + problem
                                                        + "; use '*' for unreserved resources or"
                                                        + " a role such as 'ci' or 'eng/ci'")));
    }

    /** True (with the problem added) when the Mesos fetcher refuses this URI. */
    static boolean fetchUriRefused(String uri, List<TemplateProblem> p) {
        // Fetcher::basename (slave/containerizer/fetcher.cpp:104-131) refuses these before any
        // fetch: the task fails with "Could not fetch: ..." (fetcher.cpp:372-376)
        if (uri.indexOf('\\') >= 0 || uri.indexOf('\'') >= 0 || uri.indexOf('\0') >= 0) {
            p.add(
                    new TemplateProblem(
                            "fetchUris",
                            "'"
                                    + uri
                                    + "': the Mesos fetcher refuses it with \"Illegal characters"
                                    + " in URI\" (no backslash or single quote)"));
            return true;
        }
        int scheme = uri.indexOf("://");
        if (scheme > 1) {
            String path = uri.substring(scheme + 3);
            if (!path.contains("/") || path.length() <= path.indexOf('/') + 1) {
                p.add(
                        new TemplateProblem(
                                "fetchUris",
                                "the Mesos fetcher refuses it with \"Malformed URI (missing"
                                        + " path): "
                                        + uri
                                        + "\"; name the file to fetch, e.g. "
                                        + uri.replaceAll("/+$", "")
                                        + "/tool.tar.gz"));
                return true;
            }
        }
        return false;
    }

    /** The container rules, plus the plugin's own DOCKER user and pull secret options. */
    static void container(AgentTemplate t, ContainerSpec c, List<TemplateProblem> p) {
        boolean docker = c.type() == ContainerSpec.Type.DOCKER;
        for (ContainerSpec.Parameter param : c.dockerParameters()) {
            // common/validation.cpp:310-313 via master/validation.cpp:1533-1540 (MESOS-8497)
            if ("name".equals(param.key())) {
                p.add(
                        new TemplateProblem(
                                "container.dockerParameters",
                                "the Mesos master refuses the task: \"Parameter in DockerInfo"
                                        + " must not be 'name'\" (Mesos names the container"
                                        + " itself); remove it"));
            }
        }
        // src/docker/docker.cpp:871-884: `docker run --net` takes one network
        if (docker && c.network() == ContainerSpec.Network.USER && c.cniNetworks().size() > 1) {
            p.add(
                    new TemplateProblem(
                            "container.cniNetworks",
                            "the DOCKER containerizer fails the task with \"Only a single network"
                                    + " can be defined in Docker run\"; name one network, or use"
                                    + " the MESOS containerizer for several CNI networks"));
        }
        // Mesos 1.11 docs/gpu-support.md: GPUs only through the Mesos containerizer
        if (docker && t.gpus() > 0) {
            p.add(
                    new TemplateProblem(
                            "gpus",
                            "Mesos has no GPU support through the Docker containerizer; use the"
                                    + " MESOS containerizer (it runs Docker images too)"));
        }
        // port mappings of the MESOS containerizer live on a CNI network
        // (NetworkInfo.port_mappings)
        if (!docker && !c.portMappings().isEmpty() && c.cniNetworks().isEmpty()) {
            p.add(
                    new TemplateProblem(
                            "container.portMappings",
                            "the MESOS containerizer maps ports only on a named CNI network (with"
                                + " the agent's network/port_mapping or CNI portmap plugin); add a"
                                + " CNI network, or use host ports (PORT0..) instead"));
        }
        if (c.runAsTaskUser()) {
            if (!docker) {
                p.add(
                        new TemplateProblem(
                                "container.runAsTaskUser",
                                "applies to the DOCKER containerizer; the MESOS containerizer"
                                        + " already runs the task user"));
            } else if (t.user().isEmpty()) {
                p.add(
                        new TemplateProblem(
                                "container.runAsTaskUser",
                                "needs the template's user (passed as docker run --user); set"
                                        + " it to the user that owns the sandbox"));
            }
            if (c.dockerParameters().stream().anyMatch(x -> "user".equals(x.key()))) {
                p.add(
                        new TemplateProblem(
                                "container.runAsTaskUser",
                                "conflicts with the docker parameter 'user'; keep one of them"));
            }
        }
        if (!c.pullSecretName().isEmpty()) {
            if (docker) {
                p.add(
                        new TemplateProblem(
                                "container.pullSecretName",
                                "a REFERENCE pull secret needs the MESOS containerizer; the DOCKER"
                                        + " containerizer uses the agent's --docker_config"));
            }
            if (c.pullConfig() != null) {
                p.add(
                        new TemplateProblem(
                                "container.pullSecretName",
                                "choose either a pull secret name or pull credentials, not both"));
            }
        }
    }
}
