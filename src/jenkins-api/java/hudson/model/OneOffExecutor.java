package hudson.model;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/model/OneOffExecutor.java (signatures only). */
public class OneOffExecutor extends Executor {
    public OneOffExecutor(Computer owner) {
        super(owner, -1);
        throw new UnsupportedOperationException();
    }
}
