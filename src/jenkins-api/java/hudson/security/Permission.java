package hudson.security;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/security/Permission.java (signatures only). */
public final class Permission {
    private Permission() { throw new UnsupportedOperationException(); }
}
