package io.jenkins.plugins.mesosagents.image.auth;

/**
 * AWS access key credentials (optionally temporary, with a session token); {@link #toString()}
 * hides secrets.
 */
public record AwsCredentials(String accessKeyId, String secretAccessKey, String sessionToken) {
    public AwsCredentials {
        if (accessKeyId == null
                || accessKeyId.isBlank()
                || secretAccessKey == null
                || secretAccessKey.isBlank()) {
            throw new IllegalArgumentException(
                    "AWS credentials need an access key id and a secret access key");
        }
    }

    @Override
    public String toString() {
        return "AwsCredentials[" + accessKeyId + ", secret hidden]";
    }
}
