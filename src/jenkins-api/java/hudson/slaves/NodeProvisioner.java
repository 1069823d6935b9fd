package hudson.slaves;

import hudson.ExtensionPoint;
import hudson.model.Label;
import hudson.model.LoadStatistics;
import hudson.model.Node;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Future;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/slaves/NodeProvisioner.java (signatures only). */
public class NodeProvisioner {
    public NodeProvisioner(Label label, LoadStatistics loadStatistics) { throw new UnsupportedOperationException(); }

    public List<PlannedNode> getPendingLaunches() { throw new UnsupportedOperationException(); }

    public void suggestReviewNow() { throw new UnsupportedOperationException(); }

    /** Stand-in of NodeProvisioner.PlannedNode. */
    public static class PlannedNode {
        public final String displayName;
        public final Future<Node> future;
        public final int numExecutors;

        public PlannedNode(String displayName, Future<Node> future, int numExecutors) { throw new UnsupportedOperationException(); }

        public void spent() { throw new UnsupportedOperationException(); }
    }

    /** Stand-in of NodeProvisioner.StrategyDecision. */
    public enum StrategyDecision {
        CONSULT_REMAINING_STRATEGIES,
        PROVISIONING_COMPLETED;
    }

    /** Stand-in of NodeProvisioner.Strategy. */
    public abstract static class Strategy implements ExtensionPoint {
        public abstract StrategyDecision apply(StrategyState state);
    }

    /** Stand-in of NodeProvisioner.StrategyState (an inner, non-static class). */
    public final class StrategyState {
        private StrategyState() { throw new UnsupportedOperationException(); }

        public Label getLabel() { throw new UnsupportedOperationException(); }

        public LoadStatistics.LoadStatisticsSnapshot getSnapshot() { throw new UnsupportedOperationException(); }

        public int getPlannedCapacitySnapshot() { throw new UnsupportedOperationException(); }

        public synchronized int getAdditionalPlannedCapacity() { throw new UnsupportedOperationException(); }

        public void recordPendingLaunches(PlannedNode... plannedNodes) { throw new UnsupportedOperationException(); }

        public void recordPendingLaunches(Collection<PlannedNode> plannedNodes) { throw new UnsupportedOperationException(); }
    }
}
