package hudson.slaves;

import hudson.FilePath;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/slaves/WorkspaceList.java (signatures only). */
public final class WorkspaceList {
    private WorkspaceList() { throw new UnsupportedOperationException(); }

    public static FilePath tempDir(FilePath ws) { throw new UnsupportedOperationException(); }
}
