package org.jenkinsci.plugins.workflow.steps;

import java.io.Serializable;

/** Stand-in of workflow-step-api 704 StepExecution.java (signatures only). */
public abstract class StepExecution implements Serializable {
    protected StepExecution() { throw new UnsupportedOperationException(); }

    protected StepExecution(StepContext context) { throw new UnsupportedOperationException(); }

    public StepContext getContext() { throw new UnsupportedOperationException(); }

    public abstract boolean start() throws Exception;

    public void stop(Throwable cause) throws Exception { throw new UnsupportedOperationException(); }

    public void onResume() { throw new UnsupportedOperationException(); }

    public String getStatus() { throw new UnsupportedOperationException(); }

    public boolean blocksRestart() { throw new UnsupportedOperationException(); }
}
