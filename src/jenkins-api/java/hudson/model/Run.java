package hudson.model;

import hudson.EnvVars;
import java.io.File;
import java.io.IOException;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/model/Run.java (signatures only). */
public abstract class Run<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> extends Actionable {
    // never constructed or subclassed by the plugin: no constructor to link against
    private Run() { throw new UnsupportedOperationException(); }

    public JobT getParent() { throw new UnsupportedOperationException(); }

    public String getFullDisplayName() { throw new UnsupportedOperationException(); }

    public int getNumber() { throw new UnsupportedOperationException(); }

    public File getRootDir() { throw new UnsupportedOperationException(); }

    public EnvVars getEnvironment(TaskListener listener) throws IOException, InterruptedException { throw new UnsupportedOperationException(); }

    public String getExternalizableId() { throw new UnsupportedOperationException(); }
    public synchronized void save() throws IOException { throw new UnsupportedOperationException(); }

    public Executor getExecutor() { throw new UnsupportedOperationException(); }
}
