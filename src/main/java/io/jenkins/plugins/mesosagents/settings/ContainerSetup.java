package io.jenkins.plugins.mesosagents.settings;

import io.jenkins.plugins.mesosagents.engine.ContainerSpec;
import io.jenkins.plugins.mesosagents.engine.SecretValue;
import io.jenkins.plugins.mesosagents.engine.TemplateProblem;

import java.util.List;
import java.util.Locale;

/**
 * A template's container as configured: the fields of the cloud form's container section (and of
 * its JCasC block), named exactly like them, as plain values. {@link #toContainerSpec} is the one
 * place these settings become the engine's {@link ContainerSpec}; the Jenkins form and the
 * test-cluster tools both go through it.
 */
public record ContainerSetup(
        String type,
        String image,
        boolean useImageEntrypoint,
        String network,
        String cniNetworks,
        String portMappings,
        boolean privileged,
        boolean forcePull,
        String dockerParameters,
        String volumes,
        String pullCredentialsId,
        String pullSecretName,
        boolean runAsTaskUser) {

    public ContainerSetup {
        type = type == null || type.isBlank() ? "MESOS" : type.trim().toUpperCase(Locale.ROOT);
        image = image == null ? "" : image.trim();
        network = network == null || network.isBlank() ? "HOST" : network.trim();
        cniNetworks = cniNetworks == null ? "" : cniNetworks;
        portMappings = portMappings == null ? "" : portMappings;
        dockerParameters = dockerParameters == null ? "" : dockerParameters;
        volumes = volumes == null ? "" : volumes;
        pullCredentialsId = pullCredentialsId == null ? "" : pullCredentialsId.trim();
        pullSecretName = pullSecretName == null ? "" : pullSecretName.trim();
    }

    public static Builder builder(String type, String image) {
        return new Builder(type, image);
    }

    /** A builder holding these values, with another type and image. */
    public Builder toBuilder(String newType, String newImage) {
        return builder(newType, newImage)
                .useImageEntrypoint(useImageEntrypoint)
                .network(network)
                .cniNetworks(cniNetworks)
                .portMappings(portMappings)
                .privileged(privileged)
                .forcePull(forcePull)
                .dockerParameters(dockerParameters)
                .volumes(volumes)
                .pullCredentialsId(pullCredentialsId)
                .pullSecretName(pullSecretName)
                .runAsTaskUser(runAsTaskUser);
    }

    /**
     * The engine's container, adding every problem (named {@code container.<field>}) to {@code
     * problems}; null when the containerizer is unknown or the image invalid.
     *
     * @param pullConfig the Docker config JSON for {@link #pullCredentialsId()}, or null
     */
    public ContainerSpec toContainerSpec(List<TemplateProblem> problems, SecretValue pullConfig) {
        ContainerSpec.Type containerizer;
        try {
            containerizer = ContainerSpec.Type.valueOf(type);
        } catch (IllegalArgumentException e) {
            problems.add(
                    new TemplateProblem(
                            "container.type",
                            "unknown containerizer '" + type + "'; use MESOS or DOCKER"));
            return null;
        }
        ContainerSpec.Builder c =
                ContainerSpec.builder(containerizer, image)
                        .privileged(privileged)
                        .forcePull(forcePull)
                        .pullSecretName(pullSecretName)
                        .runAsTaskUser(runAsTaskUser);
        try {
            c.network(ContainerSpec.Network.valueOf(network.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            problems.add(
                    new TemplateProblem(
                            "container.network",
                            "unknown network '" + network + "'; use HOST, BRIDGE or USER"));
        }
        TemplateText.lines(cniNetworks).forEach(c::cniNetwork);
        add(TemplateText.portMappings("container.portMappings", portMappings), problems)
                .forEach(p -> c.portMapping(p.containerPort(), p.hostPort(), p.protocol()));
        add(TemplateText.dockerParameters("container.dockerParameters", dockerParameters), problems)
                .forEach(p -> c.dockerParameter(p.key(), p.value()));
        add(TemplateText.volumes("container.volumes", volumes), problems)
                .forEach(v -> c.volume(v.containerPath(), v.hostPath(), v.readOnly()));
        if (pullConfig != null) {
            c.pullConfig(pullConfig);
        }
        try {
            return c.build();
        } catch (IllegalArgumentException e) {
            problems.add(new TemplateProblem("container.image", e.getMessage()));
            return null;
        }
    }

    private static <T> T add(TemplateText.Parsed<T> parsed, List<TemplateProblem> problems) {
        problems.addAll(parsed.problems());
        return parsed.value();
    }

    /** The optional fields, with the form's defaults; method names are the form's field names. */
    public static final class Builder {
        private final String type;
        private final String image;
        private boolean useImageEntrypoint;
        private String network = "HOST";
        private String cniNetworks = "";
        private String portMappings = "";
        private boolean privileged;
        private boolean forcePull;
        private String dockerParameters = "";
        private String volumes = "";
        private String pullCredentialsId = "";
        private String pullSecretName = "";
        private boolean runAsTaskUser;

        private Builder(String type, String image) {
            this.type = type;
            this.image = image;
        }

        public Builder useImageEntrypoint(boolean v) {
            useImageEntrypoint = v;
            return this;
        }

        public Builder network(String v) {
            network = v;
            return this;
        }

        public Builder cniNetworks(String v) {
            cniNetworks = v;
            return this;
        }

        public Builder portMappings(String v) {
            portMappings = v;
            return this;
        }

        public Builder privileged(boolean v) {
            privileged = v;
            return this;
        }

        public Builder forcePull(boolean v) {
            forcePull = v;
            return this;
        }

        public Builder dockerParameters(String v) {
            dockerParameters = v;
            return this;
        }

        public Builder volumes(String v) {
            volumes = v;
            return this;
        }

        public Builder pullCredentialsId(String v) {
            pullCredentialsId = v;
            return this;
        }

        public Builder pullSecretName(String v) {
            pullSecretName = v;
            return this;
        }

        public Builder runAsTaskUser(boolean v) {
            runAsTaskUser = v;
            return this;
        }

        public ContainerSetup build() {
            return new ContainerSetup(
                    type,
                    image,
                    useImageEntrypoint,
                    network,
                    cniNetworks,
                    portMappings,
                    privileged,
                    forcePull,
                    dockerParameters,
                    volumes,
                    pullCredentialsId,
                    pullSecretName,
                    runAsTaskUser);
        }
    }
}
