package io.jenkins.plugins.mesosagents.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A secret string (agent secret, registry pull config) that never shows itself: {@link #toString()}
 * is redacted so that a secret cannot leak through logging, exception text or a record's generated
 * {@code toString}. Read it only where it must go on the wire, with {@link #reveal()}.
 */
public final class SecretValue {
    private final String value;

    private SecretValue(String value) {
        this.value = value;
    }

    public static SecretValue of(String value) {
        return new SecretValue(Objects.requireNonNull(value, "value"));
    }

    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretValue other
                && MessageDigest.isEqual(
                        value.getBytes(StandardCharsets.UTF_8),
                        other.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "****";
    }
}
