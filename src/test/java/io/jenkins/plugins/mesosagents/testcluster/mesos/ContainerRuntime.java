package io.jenkins.plugins.mesosagents.testcluster.mesos;

import org.apache.mesos.v1.Protos.ContainerInfo;
import org.apache.mesos.v1.Protos.NetworkInfo;
import org.apache.mesos.v1.Protos.TaskInfo;

import java.nio.file.Path;

/**
 * What an agent's containerizer does with a task's image that the simulator mimics without running
 * one: the process starts in the image's WORKDIR, never the sandbox, and the Docker containerizer's
 * {@code docker run} options are checked as Mesos 1.11.0 builds them.
 */
final class ContainerRuntime {
    private ContainerRuntime() {}

    /**
     * The directory a task's command starts in: for a task with an image a fresh directory outside
     * the sandbox, as the image's WORKDIR would be. Mesos issues {@code docker run} without {@code
     * -w} (src/docker/docker.cpp:1080-1200 builds argv), and the MESOS containerizer's
     * docker/runtime isolator sets the image's WorkingDir
     * (src/slave/containerizer/mesos/isolators/docker/runtime.cpp:107-169, :372-386); the sandbox
     * is only known as $MESOS_SANDBOX (docker.cpp:735). Command tasks without an image run in the
     * sandbox.
     */
    static Path workingDirectory(TaskInfo t, Path clusterWorkDir, Path sandbox) {
        if (!hasImage(t)) {
            return sandbox;
        }
        return clusterWorkDir
                .resolve("containers")
                .resolve(sandbox.getFileName().toString())
                .resolve("workdir");
    }

    private static boolean hasImage(TaskInfo t) {
        if (!t.hasContainer()) {
            return false;
        }
        ContainerInfo c = t.getContainer();
        return c.getType() == ContainerInfo.Type.DOCKER
                ? c.hasDocker()
                : c.hasMesos() && c.getMesos().hasImage();
    }

    /**
     * Docker::RunOptions::create's network checks (src/docker/docker.cpp:833-884 and :898-903), or
     * null when the Docker containerizer would run the task.
     */
    static String invalidDockerRun(TaskInfo t) {
        if (!t.hasContainer() || t.getContainer().getType() != ContainerInfo.Type.DOCKER) {
            return null;
        }
        ContainerInfo c = t.getContainer();
        ContainerInfo.DockerInfo.Network network =
                c.getDocker().hasNetwork()
                        ? c.getDocker().getNetwork()
                        : ContainerInfo.DockerInfo.Network.HOST;
        if (network == ContainerInfo.DockerInfo.Network.USER) {
            if (c.getNetworkInfosCount() == 0) {
                return "No network info found in container info";
            }
            if (c.getNetworkInfosCount() > 1) {
                return "Only a single network can be defined in Docker run";
            }
            NetworkInfo n = c.getNetworkInfos(0);
            if (!n.hasName()) {
                return "No network name found in network info";
            }
        }
        if (c.getDocker().getPortMappingsCount() > 0
                && (network == ContainerInfo.DockerInfo.Network.HOST
                        || network == ContainerInfo.DockerInfo.Network.NONE)) {
            return "Port mappings are only supported for bridge and user-defined networks";
        }
        return null;
    }
}
