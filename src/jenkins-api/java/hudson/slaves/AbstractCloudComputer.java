package hudson.slaves;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/slaves/AbstractCloudComputer.java (signatures only). */
public class AbstractCloudComputer<T extends AbstractCloudSlave> extends SlaveComputer {
    public AbstractCloudComputer(T slave) {
        super(slave);
        throw new UnsupportedOperationException();
    }

    @Override
    public T getNode() { throw new UnsupportedOperationException(); }
}
