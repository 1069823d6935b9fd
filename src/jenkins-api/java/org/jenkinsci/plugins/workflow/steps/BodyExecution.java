package org.jenkinsci.plugins.workflow.steps;

import java.io.Serializable;

/** Stand-in of workflow-step-api 704 BodyExecution.java (signatures only). */
public abstract class BodyExecution implements Serializable {
    public BodyExecution() { throw new UnsupportedOperationException(); }

    public boolean cancel(Throwable t) { throw new UnsupportedOperationException(); }
}
