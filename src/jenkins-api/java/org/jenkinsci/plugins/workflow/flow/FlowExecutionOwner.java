package org.jenkinsci.plugins.workflow.flow;

import hudson.model.Queue;
import hudson.model.TaskListener;
import java.io.IOException;
import java.io.Serializable;

/**
 * Stand-in of workflow-api 1336.vee415d95c521
 * src/main/java/org/jenkinsci/plugins/workflow/flow/FlowExecutionOwner.java (signatures only).
 */
public abstract class FlowExecutionOwner implements Serializable {
    // never constructed by this plugin
    private FlowExecutionOwner() { throw new UnsupportedOperationException(); }

    public TaskListener getListener() throws IOException { throw new UnsupportedOperationException(); }

    /** Stand-in of FlowExecutionOwner.Executable. */
    public interface Executable extends Queue.Executable {
        FlowExecutionOwner asFlowExecutionOwner();
    }
}
