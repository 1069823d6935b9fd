package hudson;

import java.io.IOException;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/AbortException.java (signatures only). */
public final class AbortException extends IOException {
    public AbortException() { throw new UnsupportedOperationException(); }

    public AbortException(String message) { throw new UnsupportedOperationException(); }
}
