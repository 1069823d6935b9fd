package io.jenkins.plugins.mesosagents.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.jenkins.plugins.mesosagents.image.registry.RegistryException.Reason;

import okhttp3.Response;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Maps a failed registry response (status + {@code {"errors":[{code,message}]}}) to an actionable
 * message.
 */
final class RegistryErrors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String registry;
    private final RegistryAuthenticator auth;

    RegistryErrors(String registry, RegistryAuthenticator auth) {
        this.registry = registry;
        this.auth = auth;
    }

    static boolean retryable(int status) {
        return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    }

    static boolean insufficientScope(Response response) {
        String header = response.header("WWW-Authenticate");
        return header != null && header.contains("insufficient_scope");
    }

    /**
     * A 429 given up on: the registry's own message (e.g. Docker Hub's TOOMANYREQUESTS with its
     * upgrade link) and when it said to come back.
     */
    static RegistryException rateLimited(
            String registry,
            Response response,
            String what,
            java.time.Duration retryAfter,
            int attempts) {
        StringBuilder messages = new StringBuilder();
        readErrors(response, new LinkedHashSet<>(), messages);
        return new RegistryException(
                Reason.RATE_LIMITED,
                429,
                "Registry "
                        + registry
                        + " refused to "
                        + what
                        + " for too many requests (HTTP 429"
                        + (messages.length() == 0 ? "" : ": " + messages)
                        + ")"
                        + (retryAfter == null
                                ? " after " + attempts + " attempt(s)"
                                : "; its Retry-After asks to wait " + human(retryAfter))
                        + ". Authenticate (anonymous pulls have the lowest limits), use a"
                        + " mirror, or try again later");
    }

    private static String human(java.time.Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds < 120) {
            return seconds + " s";
        }
        if (seconds < 2 * 3600) {
            return (seconds / 60) + " min";
        }
        return (seconds / 3600) + " h";
    }

    private static void readErrors(Response response, Set<String> codes, StringBuilder messages) {
        try {
            String body = response.body() == null ? "" : response.body().string();
            JsonNode errors = body.isEmpty() ? null : JSON.readTree(body).path("errors");
            if (errors != null) {
                for (JsonNode error : errors) {
                    codes.add(error.path("code").asText("UNKNOWN"));
                    if (messages.length() < 300) {
                        messages.append(messages.length() == 0 ? "" : "; ")
                                .append(error.path("message").asText(""));
                        JsonNode detail = error.path("detail");
                        if (detail.isObject() && detail.has("digest")) {
                            messages.append(" ").append(detail.get("digest").asText());
                        }
                    }
                }
            }
        } catch (Exception unreadable) {
            // not JSON: the status alone has to do
        }
    }

    RegistryException failure(Response response, String what, String repository) {
        int status = response.code();
        Set<String> codes = new LinkedHashSet<>();
        StringBuilder messages = new StringBuilder();
        readErrors(response, codes, messages);
        String said =
                messages.length() == 0 ? "HTTP " + status : "HTTP " + status + ": " + messages;
        String principal = auth.principal();
        if (status == 401 && insufficientScope(response)
                || status == 403
                || codes.contains("DENIED")) {
            return new RegistryException(
                    Reason.PERMISSION_DENIED,
                    status,
                    "Registry "
                            + registry
                            + " does not allow "
                            + principal
                            + " to "
                            + what
                            + " ("
                            + said
                            + "). Ask the registry administrator for "
                            + (what.startsWith("read")
                                            || what.startsWith("download")
                                            || what.startsWith("list")
                                    ? "pull"
                                    : "push")
                            + " permission on '"
                            + repository
                            + "', or use credentials that have it");
        }
        if (status == 401) {
            return new RegistryException(
                    Reason.BAD_CREDENTIALS,
                    status,
                    auth.hasCredentials()
                            ? "Registry "
                                    + registry
                                    + " rejected the credentials of "
                                    + principal
                                    + " trying to "
                                    + what
                                    + " ("
                                    + said
                                    + "). Check the username and password/token of the registry"
                                    + " credentials"
                            : "Registry "
                                    + registry
                                    + " requires authentication to "
                                    + what
                                    + " ("
                                    + said
                                    + "). Configure registry credentials");
        }
        if (status == 404 || codes.contains("NAME_UNKNOWN") || codes.contains("MANIFEST_UNKNOWN")) {
            String hint =
                    codes.contains("NAME_UNKNOWN")
                            ? "the repository '"
                                    + repository
                                    + "' does not exist on "
                                    + registry
                                    + " or is not visible to "
                                    + principal
                                    + " (check the image name; ECR, GAR, Artifactory, Nexus and"
                                    + " Harbor create no repository on push: create it there"
                                    + " first)"
                            : codes.contains("MANIFEST_UNKNOWN")
                                    ? "no such tag or digest in '"
                                            + repository
                                            + "' (check the tag)"
                                    : codes.contains("BLOB_UNKNOWN")
                                            ? "the blob is not in '" + repository + "'"
                                            : "not found";
            return new RegistryException(
                    Reason.NOT_FOUND,
                    status,
                    "Could not "
                            + what
                            + " on registry "
                            + registry
                            + ": "
                            + hint
                            + " ("
                            + said
                            + ")");
        }
        if (status == 416) {
            return new RegistryException(
                    Reason.INVALID_REQUEST,
                    status,
                    "Registry "
                            + registry
                            + " refused to "
                            + what
                            + ": the chunk does not continue the upload (it has bytes "
                            + response.header("Range", "none")
                            + "); the upload has to start again");
        }
        if (codes.contains("DIGEST_INVALID")) {
            return new RegistryException(
                    Reason.DIGEST_MISMATCH,
                    status,
                    "Registry "
                            + registry
                            + " refused to "
                            + what
                            + ": the uploaded content does not match its digest ("
                            + said
                            + ")");
        }
        if (codes.contains("BLOB_UNKNOWN") || codes.contains("MANIFEST_BLOB_UNKNOWN")) {
            return new RegistryException(
                    Reason.INVALID_REQUEST,
                    status,
                    "Registry "
                            + registry
                            + " refused to "
                            + what
                            + " because it references blobs that are not in '"
                            + repository
                            + "' ("
                            + said
                            + "); push the config and layers before the manifest");
        }
        return new RegistryException(
                retryable(status) ? Reason.UNAVAILABLE : Reason.INVALID_REQUEST,
                status,
                "Registry " + registry + " failed to " + what + " (" + said + ")");
    }
}
