package io.jenkins.plugins.mesosagents.testcluster.migrate;

import java.util.List;

/**
 * Container volumes and the Docker-in-Docker switch, which 1.x and 2.x share (1.x
 * JenkinsScheduler.java@mesos-1.0.0:963-986, 2.x api/RunTemplateFactory.java:175-198).
 */
final class ContainerVolumes {
    private ContainerVolumes() {}

    /** {@code /container:/host:ro|rw} per line; volumes this plugin cannot express are reported. */
    static String lines(List<Fields> volumes, Output out) {
        StringBuilder lines = new StringBuilder();
        for (Fields v : volumes) {
            String container = v.text("containerPath", "");
            String host = v.text("hostPath", "");
            boolean readOnly = v.bool("readOnly");
            if (!container.startsWith("/") || !host.startsWith("/")) {
                // an empty or relative host path is a volume in the task's sandbox
                out.notCarried(
                        v.path,
                        "'"
                                + container
                                + "' from '"
                                + host
                                + "': only absolute host paths can be mounted here (a sandbox"
                                + " volume has no equivalent)");
                continue;
            }
            lines.append(container)
                    .append(':')
                    .append(host)
                    .append(readOnly ? ":ro" : ":rw")
                    .append('\n');
        }
        return lines.toString();
    }

    static void dind(Fields container, String type, Output out) {
        if (container.bool("isDind")) {
            out.notCarried(
                    container.path + ".isDind",
                    type.equals("MESOS")
                            ? "the sandbox volume /var/lib/docker (host path 'docker') is not"
                                    + " created; mount a host directory at /var/lib/docker under"
                                    + " 'volumes' if the image runs dockerd"
                            : "no effect with the DOCKER containerizer (in 1.x only with a custom"
                                    + " command shell); run dockerd in the image's entrypoint");
        }
    }
}
