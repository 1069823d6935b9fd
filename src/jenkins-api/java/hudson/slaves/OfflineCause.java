package hudson.slaves;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/slaves/OfflineCause.java (signatures only). */
public abstract class OfflineCause {
    public OfflineCause() { throw new UnsupportedOperationException(); }

    /** Stand-in of OfflineCause.ByCLI, an offline cause carrying a plain message. */
    public static class ByCLI extends OfflineCause {
        public ByCLI(String message) { throw new UnsupportedOperationException(); }
    }
}
