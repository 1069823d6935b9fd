package io.jenkins.plugins.mesosagents.image.build;

import io.jenkins.plugins.mesosagents.image.ImageReference;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What to build: a context directory, the Dockerfile (default {@code <context>/Dockerfile}), the
 * tags to give the result, and the usual options (build args, target stage, labels, always pull, no
 * cache).
 */
public record BuildRequest(
        Path context,
        Path dockerfile,
        List<ImageReference> tags,
        Map<String, String> buildArgs,
        String target,
        Map<String, String> labels,
        boolean pull,
        boolean noCache) {
    public BuildRequest {
        tags = List.copyOf(tags);
        buildArgs =
                java.util.Collections.unmodifiableMap(
                        new LinkedHashMap<>(buildArgs)); // order = command line
        labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }

    public static Builder builder(Path context) {
        return new Builder(context);
    }

    /** Checks the paths exist, with messages naming what is missing. */
    public void validate() {
        if (!Files.isDirectory(context)) {
            throw new IllegalArgumentException(
                    "Build context directory " + context + " does not exist");
        }
        if (!Files.isRegularFile(dockerfile)) {
            throw new IllegalArgumentException(
                    "Dockerfile not found: "
                            + dockerfile
                            + " (give the Dockerfile path relative to the build context "
                            + context
                            + ", or add one there)");
        }
        if (tags.isEmpty()) {
            throw new IllegalArgumentException(
                    "Give the image at least one tag, e.g. registry.example.com/team/app:1.0");
        }
    }

    /** Builder for {@link BuildRequest}. */
    public static final class Builder {
        private final Path context;
        private Path dockerfile;
        private final List<ImageReference> tags = new ArrayList<>();
        private final Map<String, String> buildArgs = new LinkedHashMap<>();
        private final Map<String, String> labels = new LinkedHashMap<>();
        private String target;
        private boolean pull;
        private boolean noCache;

        private Builder(Path context) {
            this.context = context.toAbsolutePath().normalize();
        }

        /** The Dockerfile; a relative path is resolved against the context. */
        public Builder dockerfile(String path) {
            this.dockerfile = context.resolve(path).normalize();
            return this;
        }

        public Builder tag(String reference) {
            tags.add(ImageReference.parse(reference));
            return this;
        }

        public Builder tag(ImageReference reference) {
            tags.add(reference);
            return this;
        }

        public Builder buildArg(String name, String value) {
            buildArgs.put(name, value);
            return this;
        }

        public Builder label(String name, String value) {
            labels.put(name, value);
            return this;
        }

        public Builder target(String stage) {
            this.target = stage;
            return this;
        }

        public Builder pull(boolean value) {
            this.pull = value;
            return this;
        }

        public Builder noCache(boolean value) {
            this.noCache = value;
            return this;
        }

        public BuildRequest build() {
            return new BuildRequest(
                    context,
                    dockerfile != null ? dockerfile : context.resolve("Dockerfile"),
                    tags,
                    buildArgs,
                    target,
                    labels,
                    pull,
                    noCache);
        }
    }
}
