package io.jenkins.plugins.mesosagents.image;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest such as {@code sha256:<64 lowercase hex>}: the identity of a blob or a manifest
 * in a registry. Only sha256 is computed here; other well-formed algorithms are carried through
 * unverified.
 */
public record Digest(String algorithm, String hex) {
    private static final Pattern ALGORITHM = Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*");
    private static final Pattern HEX = Pattern.compile("[a-fA-F0-9]{32,}");
    private static final Pattern SHA256_HEX = Pattern.compile("[a-f0-9]{64}");

    public Digest {
        if (!ALGORITHM.matcher(algorithm).matches()) {
            throw new IllegalArgumentException("Invalid digest algorithm \"" + algorithm + "\"");
        }
        if (algorithm.equals("sha256")
                ? !SHA256_HEX.matcher(hex).matches()
                : !HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException(
                    "Invalid digest \""
                            + algorithm
                            + ":"
                            + hex
                            + "\": "
                            + (algorithm.equals("sha256")
                                    ? "sha256 needs exactly 64 lowercase hex characters"
                                    : "the encoded part needs at least 32 hex characters"));
        }
    }

    /**
     * Parses {@code algorithm:hex}; throws {@link IllegalArgumentException} naming what is wrong.
     */
    public static Digest parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(
                    "Invalid digest \""
                            + text
                            + "\": expected <algorithm>:<hex>, e.g. sha256:<64 hex characters>");
        }
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    public static Digest sha256(byte[] content) {
        return ofSha256(newSha256().digest(content));
    }

    public static Digest sha256(String content) {
        return sha256(content.getBytes(StandardCharsets.UTF_8));
    }

    public static Digest ofSha256(byte[] hash) {
        return new Digest("sha256", HexFormat.of().formatHex(hash));
    }

    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    public boolean isSha256() {
        return algorithm.equals("sha256");
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
