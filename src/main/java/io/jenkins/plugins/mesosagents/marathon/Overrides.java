package io.jenkins.plugins.mesosagents.marathon;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Values the pipeline sets on top of the app definition file. Null means "keep the file's value";
 * {@code env} and {@code labels} are merged into the file's maps (an override wins per key).
 */
public record Overrides(
        String id,
        String image,
        Integer instances,
        Double cpus,
        Double mem,
        Map<String, String> env,
        Map<String, String> labels) {

    public static final Overrides NONE =
            new Overrides(null, null, null, null, null, Map.of(), Map.of());

    public Overrides {
        env = Map.copyOf(env == null ? Map.of() : env);
        labels = Map.copyOf(labels == null ? Map.of() : labels);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder; every setter is optional. */
    public static final class Builder {
        private String id;
        private String image;
        private Integer instances;
        private Double cpus;
        private Double mem;
        private final Map<String, String> env = new LinkedHashMap<>();
        private final Map<String, String> labels = new LinkedHashMap<>();

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder image(String image) {
            this.image = image;
            return this;
        }

        public Builder instances(Integer instances) {
            this.instances = instances;
            return this;
        }

        public Builder cpus(Double cpus) {
            this.cpus = cpus;
            return this;
        }

        public Builder mem(Double mem) {
            this.mem = mem;
            return this;
        }

        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        public Builder env(Map<String, String> values) {
            env.putAll(values);
            return this;
        }

        public Builder label(String name, String value) {
            labels.put(name, value);
            return this;
        }

        public Builder labels(Map<String, String> values) {
            labels.putAll(values);
            return this;
        }

        public Overrides build() {
            return new Overrides(id, image, instances, cpus, mem, env, labels);
        }
    }
}
