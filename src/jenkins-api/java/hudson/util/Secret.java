package hudson.util;

import java.io.Serializable;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/util/Secret.java (signatures only). */
public final class Secret implements Serializable {
    private Secret() { throw new UnsupportedOperationException(); }

    public String getPlainText() { throw new UnsupportedOperationException(); }

    public String getEncryptedValue() { throw new UnsupportedOperationException(); }

    public static Secret fromString(String data) { throw new UnsupportedOperationException(); }

    public static String toString(Secret s) { throw new UnsupportedOperationException(); }

    public static Secret decrypt(String data) { throw new UnsupportedOperationException(); }
}
