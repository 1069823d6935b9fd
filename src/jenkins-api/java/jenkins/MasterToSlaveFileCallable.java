package jenkins;

import hudson.FilePath.FileCallable;
import org.jenkinsci.remoting.RoleChecker;

/** Stand-in of jenkins-2.479.3 core/src/main/java/jenkins/MasterToSlaveFileCallable.java (signatures only). */
public abstract class MasterToSlaveFileCallable<T> implements FileCallable<T> {
    @Override
    public void checkRoles(RoleChecker checker) throws SecurityException { throw new UnsupportedOperationException(); }
}
