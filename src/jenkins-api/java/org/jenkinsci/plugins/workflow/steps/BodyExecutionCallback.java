package org.jenkinsci.plugins.workflow.steps;

import java.io.Serializable;

/** Stand-in of workflow-step-api 704 BodyExecutionCallback.java (signatures only). */
public abstract class BodyExecutionCallback implements Serializable {
    public BodyExecutionCallback() { throw new UnsupportedOperationException(); }

    public void onStart(StepContext context) { throw new UnsupportedOperationException(); }

    public abstract void onSuccess(StepContext context, Object result);

    public abstract void onFailure(StepContext context, Throwable t);

    /** Stand-in of BodyExecutionCallback.TailCall. */
    public abstract static class TailCall extends BodyExecutionCallback {
        public TailCall() { throw new UnsupportedOperationException(); }

        protected abstract void finished(StepContext context) throws Exception;

        @Override
        public final void onSuccess(StepContext context, Object result) { throw new UnsupportedOperationException(); }

        @Override
        public void onFailure(StepContext context, Throwable t) { throw new UnsupportedOperationException(); }
    }
}
