package io.jenkins.plugins.mesosagents.image;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A parsed, normalised Docker image reference: {@code registry/repository[:tag][@digest]}. Parsing
 * follows the distribution reference grammar: the first path component is a registry only if it
 * contains {@code .} or {@code :} or is {@code localhost}; otherwise the image is on Docker Hub
 * ({@code docker.io}), where one-component names live under {@code library/}. A reference without
 * tag and digest gets the tag {@code latest}.
 */
public record ImageReference(String registry, String repository, String tag, Digest digest) {
    public static final String DOCKER_HUB = "docker.io";

    /** The host that serves Docker Hub's registry API. */
    public static final String DOCKER_HUB_API_HOST = "registry-1.docker.io";

    /** The key Docker uses for Docker Hub in config.json. */
    public static final String DOCKER_HUB_CONFIG_KEY = "https://index.docker.io/v1/";

    private static final Pattern DOMAIN_COMPONENT =
            Pattern.compile("[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?");
    private static final Pattern IPV6 = Pattern.compile("\\[[a-fA-F0-9:]+]");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    private static final Pattern PATH_COMPONENT =
            Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final int MAX_NAME_LENGTH = 255;

    public ImageReference {
        if (tag == null && digest == null) {
            tag = "latest";
        }
    }

    /**
     * Parses a reference; throws {@link InvalidImageReferenceException} that names the offending
     * part.
     */
    public static ImageReference parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidImageReferenceException(
                    String.valueOf(text), "the reference is empty");
        }
        if (!text.equals(text.strip())) {
            throw new InvalidImageReferenceException(text, "it has leading or trailing whitespace");
        }
        String rest = text;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            String digestText = rest.substring(at + 1);
            try {
                digest = Digest.parse(digestText);
            } catch (IllegalArgumentException e) {
                throw new InvalidImageReferenceException(
                        text,
                        "the digest \"" + digestText + "\" is malformed (" + e.getMessage() + ")");
            }
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw new InvalidImageReferenceException(
                        text,
                        "the tag \""
                                + tag
                                + "\" is invalid (1-128 characters: letters, digits, _ . -, not"
                                + " starting with . or -)");
            }
        }
        if (rest.isEmpty()) {
            throw new InvalidImageReferenceException(text, "the repository name is missing");
        }
        // before any regex: the component patterns recurse per separator, so a huge name would
        // overflow the stack; "index." is the most a valid name loses when normalised
        if (rest.length() > MAX_NAME_LENGTH + "index.".length()) {
            throw new InvalidImageReferenceException(
                    text, "the name is longer than " + MAX_NAME_LENGTH + " characters");
        }
        String registry = DOCKER_HUB;
        String path = rest;
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".")
                    || first.contains(":")
                    || first.equals("localhost")
                    || !first.equals(first.toLowerCase(Locale.ROOT))) {
                registry = first;
                path = rest.substring(slash + 1);
                checkRegistry(text, registry);
                if (registry.equals("index.docker.io")) {
                    registry = DOCKER_HUB;
                }
            }
        }
        if (path.isEmpty()) {
            throw new InvalidImageReferenceException(
                    text, "the repository path after the registry is empty");
        }
        for (String component : path.split("/", -1)) {
            if (!PATH_COMPONENT.matcher(component).matches()) {
                String why =
                        component.isEmpty()
                                ? "is empty (double or trailing '/')"
                                : !component.equals(component.toLowerCase(Locale.ROOT))
                                        ? "has upper-case letters (repository names are lowercase)"
                                        : "may only contain lowercase letters, digits and single"
                                                + " separators (. _ __ -) between them";
                throw new InvalidImageReferenceException(
                        text, "the repository path component \"" + component + "\" " + why);
            }
        }
        if (registry.equals(DOCKER_HUB) && !path.contains("/")) {
            path = "library/" + path;
        }
        if (registry.length() + 1 + path.length() > MAX_NAME_LENGTH) {
            throw new InvalidImageReferenceException(
                    text, "the name is longer than " + MAX_NAME_LENGTH + " characters");
        }
        return new ImageReference(registry, path, tag, digest);
    }

    /**
     * Null when {@code registry} is a registry address as a reference's first component ({@code
     * host[:port]}), otherwise what is wrong with it.
     */
    public static String registryProblem(String registry) {
        String r = registry == null ? "" : registry.strip();
        String problem;
        if (r.isEmpty()) {
            problem = "it is empty";
        } else if (r.contains("://") || r.contains("/")) {
            problem = "give the host and port only, without a scheme or path";
        } else {
            try {
                checkRegistry(r, r);
                return null;
            } catch (InvalidImageReferenceException e) {
                problem = e.problem();
            }
        }
        return "Invalid registry \""
                + registry
                + "\": "
                + problem
                + ". Expected host[:port], e.g. registry.example.com or localhost:5000";
    }

    private static void checkRegistry(String text, String registry) {
        String host = registry;
        int portColon =
                registry.startsWith("[") ? registry.indexOf("]:") + 1 : registry.lastIndexOf(':');
        if (portColon > 0) {
            String port = registry.substring(portColon + 1);
            host = registry.substring(0, portColon);
            if (!PORT.matcher(port).matches()
                    || Integer.parseInt(port) == 0
                    || Integer.parseInt(port) > 65535) {
                throw new InvalidImageReferenceException(
                        text, "the registry port \"" + port + "\" is not a number 1-65535");
            }
        }
        if (host.startsWith("[")) {
            if (!IPV6.matcher(host).matches()) {
                throw new InvalidImageReferenceException(
                        text, "the registry address \"" + host + "\" is not a valid IPv6 literal");
            }
            return;
        }
        for (String component : host.split("\\.", -1)) {
            if (!DOMAIN_COMPONENT.matcher(component).matches()) {
                throw new InvalidImageReferenceException(
                        text,
                        "the registry host \""
                                + host
                                + "\" is invalid (part \""
                                + component
                                + "\": letters, digits and inner hyphens only)");
            }
        }
    }

    /**
     * The host[:port] to talk the registry API to ({@code registry-1.docker.io} for Docker Hub).
     */
    public String apiHost() {
        return isDockerHub() ? DOCKER_HUB_API_HOST : registry;
    }

    public boolean isDockerHub() {
        return registry.equals(DOCKER_HUB);
    }

    /** {@code registry/repository} without tag or digest. */
    public String name() {
        return registry + "/" + repository;
    }

    /** What to put after {@code /manifests/}: the digest if there is one, else the tag. */
    public String manifestReference() {
        return digest != null ? digest.toString() : tag;
    }

    public ImageReference withTag(String newTag) {
        return parse(name() + ":" + newTag);
    }

    public ImageReference withDigest(Digest newDigest) {
        return new ImageReference(registry, repository, tag, newDigest);
    }

    /** The same repository pinned to a digest only (no tag), e.g. for deployments. */
    public ImageReference pinned(Digest newDigest) {
        return new ImageReference(registry, repository, null, newDigest);
    }

    @Override
    public String toString() {
        return name() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
