package io.jenkins.plugins.mesosagents.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How the agent's task is containerised. {@link Type#MESOS} runs the Docker image in the Mesos
 * (UCR) containerizer and supports a private-registry pull secret ({@code Image.Docker.config});
 * {@link Type#DOCKER} uses the Docker containerizer with its network modes, port mappings,
 * privileged mode and raw {@code docker run} parameters. Mesos runs neither in the sandbox: the
 * command starts in the image's WORKDIR and finds the sandbox as {@code $MESOS_SANDBOX}. The DOCKER
 * containerizer runs the image's USER unless {@link #runAsTaskUser()} passes the task user as
 * {@code docker run --user}.
 */
public record ContainerSpec(
        Type type,
        String image,
        Network network,
        List<String> cniNetworks,
        List<PortMapping> portMappings,
        boolean privileged,
        boolean forcePull,
        List<Parameter> dockerParameters,
        List<Volume> volumes,
        SecretValue pullConfig,
        String pullSecretName,
        boolean runAsTaskUser) {

    /** The containerizer. */
    public enum Type {
        MESOS,
        DOCKER
    }

    /** Docker network mode (DOCKER containerizer); USER joins the named CNI networks. */
    public enum Network {
        HOST,
        BRIDGE,
        USER
    }

    /**
     * A container port published on a host port; host port 0 takes one from the offer's port
     * ranges.
     */
    public record PortMapping(int containerPort, int hostPort, String protocol) {
        public PortMapping {
            protocol = protocol == null || protocol.isEmpty() ? "tcp" : protocol;
        }
    }

    /** A raw {@code docker run --key=value} flag. */
    public record Parameter(String key, String value) {}

    /** A host path mounted into the container. */
    public record Volume(String containerPath, String hostPath, boolean readOnly) {}

    public ContainerSpec {
        Objects.requireNonNull(type, "type");
        image = image == null ? "" : image;
        network = network == null ? Network.HOST : network;
        cniNetworks = List.copyOf(cniNetworks);
        portMappings = List.copyOf(portMappings);
        dockerParameters = List.copyOf(dockerParameters);
        volumes = List.copyOf(volumes);
        pullSecretName = pullSecretName == null ? "" : pullSecretName.trim();
    }

    public static Builder builder(Type type, String image) {
        return new Builder(type, image);
    }

    /** Host ports this container needs from the offer (mappings with host port 0). */
    int dynamicHostPorts() {
        int n = 0;
        for (PortMapping m : portMappings) {
            if (m.hostPort() == 0) {
                n++;
            }
        }
        return n;
    }

    /** Collects optional container settings. */
    public static final class Builder {
        private final Type type;
        private final String image;
        private Network network = Network.HOST;
        private final List<String> cniNetworks = new ArrayList<>();
        private final List<PortMapping> portMappings = new ArrayList<>();
        private boolean privileged;
        private boolean forcePull;
        private final List<Parameter> dockerParameters = new ArrayList<>();
        private final List<Volume> volumes = new ArrayList<>();
        private SecretValue pullConfig;
        private String pullSecretName = "";
        private boolean runAsTaskUser;

        private Builder(Type type, String image) {
            this.type = type;
            this.image = image;
        }

        public Builder network(Network network) {
            this.network = network;
            return this;
        }

        public Builder cniNetwork(String name) {
            cniNetworks.add(name);
            return this;
        }

        public Builder portMapping(int containerPort, int hostPort, String protocol) {
            portMappings.add(new PortMapping(containerPort, hostPort, protocol));
            return this;
        }

        public Builder privileged(boolean privileged) {
            this.privileged = privileged;
            return this;
        }

        public Builder forcePull(boolean forcePull) {
            this.forcePull = forcePull;
            return this;
        }

        public Builder dockerParameter(String key, String value) {
            dockerParameters.add(new Parameter(key, value));
            return this;
        }

        public Builder volume(String containerPath, String hostPath, boolean readOnly) {
            volumes.add(new Volume(containerPath, hostPath, readOnly));
            return this;
        }

        /**
         * A docker config.json ({@code {"auths":{...}}}) used to pull the image (MESOS
         * containerizer only).
         */
        public Builder pullConfig(SecretValue dockerConfigJson) {
            this.pullConfig = dockerConfigJson;
            return this;
        }

        /**
         * The name of a secret the Mesos agent's secret resolver holds, used as the docker
         * config.json to pull the image ({@code Image.Docker.config} of type REFERENCE; MESOS
         * containerizer only): the credentials then never travel in the TaskInfo.
         */
        public Builder pullSecretName(String name) {
            this.pullSecretName = name;
            return this;
        }

        /**
         * DOCKER containerizer: run the container as the template's task user ({@code docker run
         * --user}) instead of the image's USER, so that it can use the sandbox the agent created
         * for that user.
         */
        public Builder runAsTaskUser(boolean v) {
            this.runAsTaskUser = v;
            return this;
        }

        public ContainerSpec build() {
            return new ContainerSpec(
                    type,
                    image,
                    network,
                    cniNetworks,
                    portMappings,
                    privileged,
                    forcePull,
                    dockerParameters,
                    volumes,
                    pullConfig,
                    pullSecretName,
                    runAsTaskUser);
        }
    }
}
