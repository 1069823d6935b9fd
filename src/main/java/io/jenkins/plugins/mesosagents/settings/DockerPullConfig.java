package io.jenkins.plugins.mesosagents.settings;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The Docker {@code config.json} holding one registry login, as the Mesos containerizer takes it
 * for a private agent image ({@code Image.Docker.config}). The registry is the image reference's
 * host; images without one are on Docker Hub, whose config key is {@code
 * https://index.docker.io/v1/}.
 */
public final class DockerPullConfig {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String DOCKER_HUB = "https://index.docker.io/v1/";

    private DockerPullConfig() {}

    public static String json(String image, String username, String password) {
        ObjectNode config = JSON.createObjectNode();
        String auth =
                Base64.getEncoder()
                        .encodeToString(
                                (username + ":" + password).getBytes(StandardCharsets.UTF_8));
        config.putObject("auths").putObject(registry(image)).put("auth", auth);
        return config.toString();
    }

    /**
     * The registry host of an image reference, per Docker's rule: a first component with '.', ':'
     * or localhost.
     */
    public static String registry(String image) {
        int slash = image.indexOf('/');
        if (slash < 0) {
            return DOCKER_HUB;
        }
        String first = image.substring(0, slash);
        return first.contains(".") || first.contains(":") || first.equals("localhost")
                ? first
                : DOCKER_HUB;
    }
}
