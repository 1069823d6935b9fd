package org.jvnet.hudson.reactor;

/**
 * Stand-in of task-reactor 1.9 (bundled in jenkins-2.479.3)
 * src/main/java/org/jvnet/hudson/reactor/ReactorException.java: only the type, for the throws
 * clause of Jenkins' constructors.
 */
public class ReactorException extends Exception {
    // never constructed by the plugin: no constructor to link against
    private ReactorException() { throw new UnsupportedOperationException(); }
}
