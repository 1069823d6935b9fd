package hudson.security;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/security/ACLContext.java (signatures only). */
public class ACLContext implements AutoCloseable {
    ACLContext() { throw new UnsupportedOperationException(); }

    @Override
    public void close() { throw new UnsupportedOperationException(); }
}
