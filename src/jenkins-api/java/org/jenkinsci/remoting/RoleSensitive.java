package org.jenkinsci.remoting;

/** Stand-in of remoting 3261 org.jenkinsci.remoting.RoleSensitive. */
public interface RoleSensitive {
    void checkRoles(RoleChecker checker) throws SecurityException;
}
