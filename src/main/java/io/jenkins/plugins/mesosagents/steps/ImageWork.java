package io.jenkins.plugins.mesosagents.steps;

import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;

import io.jenkins.plugins.mesosagents.image.ImageReference;
import io.jenkins.plugins.mesosagents.image.ProgressListener;
import io.jenkins.plugins.mesosagents.image.auth.RegistryAuthFile;
import io.jenkins.plugins.mesosagents.image.build.BuildRequest;
import io.jenkins.plugins.mesosagents.image.build.BuildResult;
import io.jenkins.plugins.mesosagents.image.build.BuildahBuilder;
import io.jenkins.plugins.mesosagents.image.build.BuilderChoice;
import io.jenkins.plugins.mesosagents.image.build.DockerCliBuilder;
import io.jenkins.plugins.mesosagents.image.build.ImageBuilder;
import io.jenkins.plugins.mesosagents.image.build.LocalProcessRunner;
import io.jenkins.plugins.mesosagents.image.registry.RegistryCredentials;

import jenkins.MasterToSlaveFileCallable;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The image work that must happen on the agent, where the workspace and the builder are: build,
 * push, and writing a temporary registry auth file. Each is a small serializable callable run with
 * {@code FilePath.act}; they carry only strings and logins and return plain maps and lists, which
 * cross the remoting channel and suit Pipeline.
 */
final class ImageWork {
    private ImageWork() {}

    /**
     * How to reach the builder on the agent, and the step's environment (the Pipeline's, e.g.
     * {@code REGISTRY_AUTH_FILE} from withRegistryAuth) that the builder runs in.
     */
    record BuilderSpec(
            String builder,
            String storageDriver,
            String isolation,
            boolean insecure,
            String caCertificates,
            LinkedHashMap<String, String> environment)
            implements java.io.Serializable {
        /**
         * @param extra variables over the step's environment (a step's own auth file)
         * @param certDir a directory holding the step's CA certificates, or null
         */
        ImageBuilder create(ProgressListener progress, Map<String, String> extra, Path certDir) {
            Map<String, String> env = new LinkedHashMap<>(environment);
            env.putAll(extra);
            BuilderChoice choice =
                    BuilderChoice.choose(builder, env.getOrDefault("PATH", System.getenv("PATH")));
            progress.line(choice.explanation());
            LocalProcessRunner runner = new LocalProcessRunner();
            if (choice.kind().equals("docker")) {
                if (insecure || certDir != null) {
                    progress.line(
                            "Note: the docker CLI takes insecure registries and CA certificates"
                                + " from the Docker daemon's configuration (insecure-registries,"
                                + " /etc/docker/certs.d), not from this step");
                }
                return new DockerCliBuilder(choice.executable().toString(), env, runner);
            }
            BuildahBuilder.Options options =
                    BuildahBuilder.Options.defaults()
                            .withExecutable(choice.executable().toString())
                            .withEnvironment(env);
            if (storageDriver != null && !storageDriver.isBlank()) {
                options = options.withStore(null, null, storageDriver);
            }
            if (isolation != null && !isolation.isBlank()) {
                options = options.withIsolation(isolation);
            }
            if (insecure || certDir != null) {
                options = options.withTls(certDir, !insecure);
            }
            return new BuildahBuilder(options, runner);
        }
    }

    /** What to build; paths are relative to the workspace. */
    record BuildSpec(
            String context,
            String dockerfile,
            List<String> tags,
            Map<String, String> buildArgs,
            Map<String, String> labels,
            String target,
            boolean pull,
            boolean noCache)
            implements java.io.Serializable {
        BuildRequest request(File workspace) {
            Path dir =
                    workspace
                            .toPath()
                            .resolve(context == null || context.isBlank() ? "." : context);
            BuildRequest.Builder b = BuildRequest.builder(dir);
            if (dockerfile != null && !dockerfile.isBlank()) {
                b.dockerfile(dockerfile);
            }
            tags.forEach(b::tag);
            buildArgs.forEach(b::buildArg);
            labels.forEach(b::label);
            if (target != null && !target.isBlank()) {
                b.target(target);
            }
            return b.pull(pull).noCache(noCache).build();
        }
    }

    /**
     * Builds (and optionally pushes) on the agent; returns imageId, tags, builder and, when pushed,
     * images.
     */
    static final class Build extends MasterToSlaveFileCallable<LinkedHashMap<String, Object>> {
        private static final long serialVersionUID = 1L;
        private final BuildSpec spec;
        private final BuilderSpec builder;
        private final List<RegistryLogin> logins;
        private final boolean push;
        private final TaskListener listener;

        Build(
                BuildSpec spec,
                BuilderSpec builder,
                boolean push,
                List<RegistryLogin> logins,
                TaskListener listener) {
            this.spec = spec;
            this.builder = builder;
            this.push = push;
            this.logins = List.copyOf(logins);
            this.listener = listener;
        }

        @Override
        public LinkedHashMap<String, Object> invoke(File workspace, VirtualChannel channel)
                throws IOException, InterruptedException {
            ProgressListener progress = listener.getLogger()::println;
            try (AgentAuth auth = AgentAuth.write(builder, logins)) {
                // the login serves the base image pulls of the build as well as the push
                ImageBuilder imageBuilder =
                        builder.create(progress, auth.environment(), auth.certDir());
                BuildResult built = imageBuilder.build(spec.request(workspace), progress);
                LinkedHashMap<String, Object> result = new LinkedHashMap<>();
                result.put("imageId", built.imageId());
                result.put("builder", built.builder());
                result.put("tags", strings(built.tags()));
                if (push) {
                    result.put(
                            "images",
                            strings(
                                    imageBuilder.pushAll(
                                            built.imageId(), built.tags(), auth.file(), progress)));
                }
                return result;
            }
        }
    }

    /**
     * Pushes a local image under one or more references; returns each reference pinned to its
     * digest.
     */
    static final class Push extends MasterToSlaveFileCallable<ArrayList<String>> {
        private static final long serialVersionUID = 1L;
        private final String localImage;
        private final List<String> targets;
        private final BuilderSpec builder;
        private final List<RegistryLogin> logins;
        private final TaskListener listener;

        Push(
                String localImage,
                List<String> targets,
                BuilderSpec builder,
                List<RegistryLogin> logins,
                TaskListener listener) {
            this.localImage = localImage;
            this.targets = List.copyOf(targets);
            this.builder = builder;
            this.logins = List.copyOf(logins);
            this.listener = listener;
        }

        @Override
        public ArrayList<String> invoke(File workspace, VirtualChannel channel)
                throws IOException, InterruptedException {
            ProgressListener progress = listener.getLogger()::println;
            List<ImageReference> refs = targets.stream().map(ImageReference::parse).toList();
            try (AgentAuth auth = AgentAuth.write(builder, logins)) {
                return strings(
                        builder.create(progress, auth.environment(), auth.certDir())
                                .pushAll(localImage, refs, auth.file(), progress));
            }
        }
    }

    /**
     * Writes a private temporary auth file in {@code parent} and returns its environment
     * (DOCKER_CONFIG, …).
     */
    static final class WriteAuthFile
            extends MasterToSlaveFileCallable<LinkedHashMap<String, String>> {
        private static final long serialVersionUID = 1L;
        private final List<RegistryLogin> logins;

        WriteAuthFile(List<RegistryLogin> logins) {
            this.logins = List.copyOf(logins);
        }

        @Override
        public LinkedHashMap<String, String> invoke(File parent, VirtualChannel channel)
                throws IOException {
            Files.createDirectories(parent.toPath());
            RegistryAuthFile file =
                    RegistryAuthFile.write(parent.toPath(), credentialsByRegistry(logins));
            return new LinkedHashMap<>(file.environment());
        }
    }

    /**
     * The step's registry logins in a private auth file on the agent, merged over the one a
     * surrounding withRegistryAuth block made (REGISTRY_AUTH_FILE), and its CA certificates in a
     * cert dir; both removed on close. Empty when the step has neither.
     */
    private record AgentAuth(RegistryAuthFile authFile, Path certDir) implements AutoCloseable {
        static AgentAuth write(BuilderSpec spec, List<RegistryLogin> logins) throws IOException {
            RegistryAuthFile file = null;
            if (!logins.isEmpty()) {
                String outer = spec.environment().get("REGISTRY_AUTH_FILE");
                file =
                        RegistryAuthFile.write(
                                null,
                                credentialsByRegistry(logins),
                                outer == null ? null : Path.of(outer));
            }
            AgentAuth auth = new AgentAuth(file, null);
            if (spec.caCertificates() != null && !spec.caCertificates().isBlank()) {
                try {
                    auth = new AgentAuth(file, Files.createTempDirectory("registry-certs-"));
                    Files.writeString(auth.certDir().resolve("ca.crt"), spec.caCertificates());
                } catch (IOException e) {
                    auth.close(); // the login must not outlive a failed start
                    throw e;
                }
            }
            return auth;
        }

        Map<String, String> environment() {
            return authFile == null ? Map.of() : authFile.environment();
        }

        Path file() {
            return authFile == null ? null : authFile.file();
        }

        @Override
        public void close() throws IOException {
            if (authFile != null) {
                authFile.close();
            }
            if (certDir != null) {
                Files.deleteIfExists(certDir.resolve("ca.crt"));
                Files.deleteIfExists(certDir);
            }
        }
    }

    private static Map<String, RegistryCredentials> credentialsByRegistry(
            List<RegistryLogin> logins) {
        Map<String, RegistryCredentials> byRegistry = new LinkedHashMap<>();
        for (RegistryLogin login : logins) {
            byRegistry.put(login.registry(), login.credentials());
        }
        return byRegistry;
    }

    private static ArrayList<String> strings(List<ImageReference> refs) {
        ArrayList<String> out = new ArrayList<>();
        refs.forEach(r -> out.add(r.toString()));
        return out;
    }
}
