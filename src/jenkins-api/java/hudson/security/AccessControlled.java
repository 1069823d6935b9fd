package hudson.security;

import org.springframework.security.access.AccessDeniedException;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/security/AccessControlled.java (signatures only). */
public interface AccessControlled {
    ACL getACL();

    default void checkPermission(Permission permission) throws AccessDeniedException { throw new UnsupportedOperationException(); }

    default boolean hasPermission(Permission permission) { throw new UnsupportedOperationException(); }
}
