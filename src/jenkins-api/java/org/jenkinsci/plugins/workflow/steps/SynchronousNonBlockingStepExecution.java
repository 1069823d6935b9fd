package org.jenkinsci.plugins.workflow.steps;

/** Stand-in of workflow-step-api 704 SynchronousNonBlockingStepExecution.java (signatures only). */
public abstract class SynchronousNonBlockingStepExecution<T> extends StepExecution {
    protected SynchronousNonBlockingStepExecution(StepContext context) { throw new UnsupportedOperationException(); }

    protected abstract T run() throws Exception;

    @Override
    public final boolean start() throws Exception { throw new UnsupportedOperationException(); }

    @Override
    public void stop(Throwable cause) throws Exception { throw new UnsupportedOperationException(); }

    @Override
    public void onResume() { throw new UnsupportedOperationException(); }

    @Override
    public String getStatus() { throw new UnsupportedOperationException(); }

    @Override
    public boolean blocksRestart() { throw new UnsupportedOperationException(); }
}
