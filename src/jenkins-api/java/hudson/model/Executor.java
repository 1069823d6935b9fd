package hudson.model;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/model/Executor.java (signatures only). */
public class Executor extends Thread {
    public Executor(Computer owner, int n) { throw new UnsupportedOperationException(); }

    public Computer getOwner() { throw new UnsupportedOperationException(); }

    public Queue.Executable getCurrentExecutable() { throw new UnsupportedOperationException(); }
}
