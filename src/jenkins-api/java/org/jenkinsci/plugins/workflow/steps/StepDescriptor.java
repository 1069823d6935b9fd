package org.jenkinsci.plugins.workflow.steps;

import hudson.model.Descriptor;
import java.util.Set;

/** Stand-in of workflow-step-api 704 StepDescriptor.java (signatures only). */
public abstract class StepDescriptor extends Descriptor<Step> {
    public StepDescriptor() { throw new UnsupportedOperationException(); }

    public abstract Set<? extends Class<?>> getRequiredContext();

    public Set<? extends Class<?>> getProvidedContext() { throw new UnsupportedOperationException(); }

    public abstract String getFunctionName();

    public boolean takesImplicitBlockArgument() { throw new UnsupportedOperationException(); }

    public boolean isAdvanced() { throw new UnsupportedOperationException(); }
}
