package hudson.slaves;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/slaves/CloudRetentionStrategy.java (signatures only). */
@SuppressWarnings("rawtypes")
public class CloudRetentionStrategy extends RetentionStrategy<AbstractCloudComputer> {
    public static boolean disabled;

    public CloudRetentionStrategy(int idleMinutes) { throw new UnsupportedOperationException(); }

    @Override
    public long check(AbstractCloudComputer c) { throw new UnsupportedOperationException(); }

    @Override
    public void start(AbstractCloudComputer c) { throw new UnsupportedOperationException(); }
}
