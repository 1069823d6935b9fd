package hudson.model;

import java.io.Serializable;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/model/Result.java (signatures only). */
public final class Result implements Serializable {
    public static final Result SUCCESS = null;
    public static final Result UNSTABLE = null;
    public static final Result FAILURE = null;
    public static final Result NOT_BUILT = null;
    public static final Result ABORTED = null;

    private Result() { throw new UnsupportedOperationException(); }
}
