package org.jenkinsci.plugins.workflow.steps;

import hudson.ExtensionPoint;
import hudson.model.AbstractDescribableImpl;

/** Stand-in of workflow-step-api 704 src/main/java/org/jenkinsci/plugins/workflow/steps/Step.java (signatures only). */
public abstract class Step extends AbstractDescribableImpl<Step> implements ExtensionPoint {
    public abstract StepExecution start(StepContext context) throws Exception;

    @Override
    public StepDescriptor getDescriptor() { throw new UnsupportedOperationException(); }
}
