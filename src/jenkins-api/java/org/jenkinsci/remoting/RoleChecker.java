package org.jenkinsci.remoting;

/** Stand-in of remoting 3261 org.jenkinsci.remoting.RoleChecker (the type only). */
public abstract class RoleChecker {
}
