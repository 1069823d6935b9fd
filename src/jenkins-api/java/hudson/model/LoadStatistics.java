package hudson.model;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/model/LoadStatistics.java (signatures only). */
public abstract class LoadStatistics {
    protected LoadStatistics(int initialOnlineExecutors, int initialBusyExecutors) { throw new UnsupportedOperationException(); }

    /** Stand-in of LoadStatistics.LoadStatisticsSnapshot. */
    public static class LoadStatisticsSnapshot {
        private LoadStatisticsSnapshot() { throw new UnsupportedOperationException(); }

        public int getAvailableExecutors() { throw new UnsupportedOperationException(); }

        public int getConnectingExecutors() { throw new UnsupportedOperationException(); }

        public int getQueueLength() { throw new UnsupportedOperationException(); }
    }
}
