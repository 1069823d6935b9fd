package io.jenkins.plugins.mesosagents.settings;

import io.jenkins.plugins.mesosagents.engine.TemplateProblem;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What in a template reaches past its container into the host: a privileged container, host path
 * volumes (every volume of a template is a host path), and {@code docker run} parameters that do
 * the same (docker's own flags: --privileged, -v/--volume, --mount, --volumes-from, --device,
 * --device-cgroup-rule, --cap-add, --security-opt, --pid, --ipc, --userns, --uts, --cgroupns). Such
 * a template runs only on a cloud whose administrator switched {@code allowPrivileged} on.
 */
public final class HostAccess {
    /** The docker run flags (without dashes, as the template's dockerParameters write them). */
    public static final Set<String> DOCKER_PARAMETERS =
            Set.of(
                    "privileged",
                    "v",
                    "volume",
                    "mount",
                    "volumes-from",
                    "device",
                    "device-cgroup-rule",
                    "cap-add",
                    "security-opt",
                    "pid",
                    "ipc",
                    "userns",
                    "uts",
                    "cgroupns");

    private HostAccess() {}

    /** Each setting of the template that gives host access, as a problem naming its field. */
    public static List<TemplateProblem> of(TemplateSettings template, String why) {
        List<TemplateProblem> found = new ArrayList<>();
        ContainerSetup c = template.container();
        if (c == null) {
            return found;
        }
        if (c.privileged()) {
            found.add(new TemplateProblem("container.privileged", "privileged container " + why));
        }
        for (String line : TemplateText.lines(c.volumes())) {
            found.add(
                    new TemplateProblem("container.volumes", "host volume '" + line + "' " + why));
        }
        for (String line : TemplateText.lines(c.dockerParameters())) {
            int eq = line.indexOf('=');
            String key = (eq < 0 ? line : line.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
            if (DOCKER_PARAMETERS.contains(key)) {
                found.add(
                        new TemplateProblem(
                                "container.dockerParameters",
                                "docker parameter '" + line + "' reaches the host; " + why));
            }
        }
        return found;
    }

    /** The problems of a cloud template on a cloud that does not allow host access. */
    public static List<TemplateProblem> refusedByCloud(TemplateSettings template) {
        return of(
                template,
                "is not allowed on this cloud: its allowPrivileged switch is off (an"
                        + " administrator can switch it on in the cloud's configuration)");
    }
}
