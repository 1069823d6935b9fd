package hudson.model;

/**
 * Stand-in of jenkins-2.479.3 core/src/main/java/hudson/model/Failure.java (only the type, for
 * Jenkins.checkGoodName's throws clause; HttpResponse flattened).
 */
public class Failure extends RuntimeException {
    // never constructed by the plugin: no constructor to link against
    private Failure() { throw new UnsupportedOperationException(); }
}
