package io.jenkins.plugins.mesosagents.mesos;

import org.apache.mesos.v1.Protos.FrameworkID;
import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo.Capability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who the framework is to the master: the fields of {@code FrameworkInfo} a Jenkins framework sets.
 * Always MULTI_ROLE (so {@code roles}, never the deprecated {@code role}), PARTITION_AWARE and
 * REGION_AWARE, and checkpointing so builds survive agent restarts; GPU_RESOURCES only when asked,
 * because a GPU-capable framework is offered GPU agents' resources even for tasks that do not need
 * them.
 */
public record FrameworkIdentity(
        String name,
        String user,
        List<String> roles,
        Optional<String> principal,
        Optional<String> hostname,
        Optional<String> webuiUrl,
        Duration failoverTimeout,
        boolean gpuResources) {

    /**
     * One week: long enough to survive a Jenkins restart or upgrade over a weekend (the HA guide:
     * "1 week or more").
     */
    public static final Duration DEFAULT_FAILOVER_TIMEOUT = Duration.ofDays(7);

    public FrameworkIdentity {
        requireText(name, "name");
        requireText(user, "user (the HTTP API needs an explicit OS user for tasks)");
        roles = List.copyOf(roles);
        if (roles.isEmpty()) {
            throw new IllegalArgumentException(
                    "Framework roles must not be empty; use \"*\" for the default role");
        }
        if (new LinkedHashSet<>(roles).size() != roles.size()) {
            throw new IllegalArgumentException("Framework roles contain a duplicate: " + roles);
        }
        roles.forEach(FrameworkIdentity::validateRole);
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(webuiUrl, "webuiUrl");
        Objects.requireNonNull(failoverTimeout, "failoverTimeout");
        // 0 is valid to Mesos (master.cpp:2614) but removes the framework, and kills its tasks,
        // on every broken stream
        if (failoverTimeout.isNegative() || failoverTimeout.isZero()) {
            throw new IllegalArgumentException(
                    "The failover timeout must be greater than 0 (was "
                            + failoverTimeout
                            + "): with 0 Mesos removes the framework and kills every agent task"
                            + " each time the connection breaks; use hours, e.g. 168 (a week)");
        }
    }

    public static Builder builder(String name, String user) {
        return new Builder(name, user);
    }

    /**
     * The FrameworkInfo for SUBSCRIBE/UPDATE_FRAMEWORK, carrying {@code id} when re-subscribing.
     */
    public FrameworkInfo toFrameworkInfo(Optional<String> frameworkId) {
        FrameworkInfo.Builder info =
                FrameworkInfo.newBuilder()
                        .setName(name)
                        .setUser(user)
                        .addAllRoles(roles)
                        .setCheckpoint(true)
                        .setFailoverTimeout(failoverTimeout.toMillis() / 1000.0)
                        .addCapabilities(capability(Capability.Type.MULTI_ROLE))
                        .addCapabilities(capability(Capability.Type.PARTITION_AWARE))
                        .addCapabilities(capability(Capability.Type.REGION_AWARE));
        if (gpuResources) {
            info.addCapabilities(capability(Capability.Type.GPU_RESOURCES));
        }
        principal.ifPresent(info::setPrincipal);
        hostname.ifPresent(info::setHostname);
        webuiUrl.ifPresent(info::setWebuiUrl);
        frameworkId.ifPresent(id -> info.setId(FrameworkID.newBuilder().setValue(id)));
        return info.build();
    }

    private static Capability capability(Capability.Type type) {
        return Capability.newBuilder().setType(type).build();
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Framework " + what + " must not be empty");
        }
    }

    private static void validateRole(String role) {
        MesosRoles.problem(role)
                .ifPresent(
                        problem -> {
                            throw new IllegalArgumentException(
                                    "Invalid Mesos role '" + role + "': " + problem);
                        });
    }

    /** The same identity subscribed to other roles (UPDATE_FRAMEWORK when templates change). */
    public FrameworkIdentity withRoles(List<String> newRoles) {
        return new FrameworkIdentity(
                name, user, newRoles, principal, hostname, webuiUrl, failoverTimeout, gpuResources);
    }

    /** The same identity with or without the GPU_RESOURCES capability. */
    public FrameworkIdentity withGpuResources(boolean gpus) {
        return new FrameworkIdentity(
                name, user, roles, principal, hostname, webuiUrl, failoverTimeout, gpus);
    }

    /** Builder for the optional fields. */
    public static final class Builder {
        private final String name;
        private final String user;
        private final List<String> roles = new ArrayList<>();
        private String principal;
        private String hostname;
        private String webuiUrl;
        private Duration failoverTimeout = DEFAULT_FAILOVER_TIMEOUT;
        private boolean gpuResources;

        private Builder(String name, String user) {
            this.name = name;
            this.user = user;
        }

        public Builder role(String role) {
            roles.add(role);
            return this;
        }

        public Builder roles(List<String> newRoles) {
            roles.addAll(newRoles);
            return this;
        }

        public Builder principal(String value) {
            principal = value;
            return this;
        }

        public Builder hostname(String value) {
            hostname = value;
            return this;
        }

        public Builder webuiUrl(String value) {
            webuiUrl = value;
            return this;
        }

        public Builder failoverTimeout(Duration value) {
            failoverTimeout = value;
            return this;
        }

        public Builder gpuResources(boolean value) {
            gpuResources = value;
            return this;
        }

        public FrameworkIdentity build() {
            return new FrameworkIdentity(
                    name,
                    user,
                    roles.isEmpty() ? List.of("*") : roles,
                    Optional.ofNullable(principal),
                    Optional.ofNullable(hostname),
                    Optional.ofNullable(webuiUrl),
                    failoverTimeout,
                    gpuResources);
        }
    }
}
