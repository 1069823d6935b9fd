package org.jenkinsci.plugins.pipeline.modeldefinition.agent;

import hudson.ExtensionPoint;

import org.jenkinsci.plugins.pipeline.modeldefinition.withscript.WithScriptDescribable;

/**
 * Stand-in of jenkinsci/pipeline-model-definition-plugin 4e96d2bdaf9b (release 2.2258.v4e96d2b_da_f9b_) pipeline-model-extensions/src/main/java/org/jenkinsci/plugins/pipeline/modeldefinition/agent/DeclarativeAgent.java
 * (signatures only; the members taking workflow-cps or DeclarativeOption types are left out).
 */
public abstract class DeclarativeAgent<A extends DeclarativeAgent<A>> extends WithScriptDescribable<A> implements ExtensionPoint {
    public void setInStage(boolean inStage) { throw new UnsupportedOperationException(); }

    public boolean isInStage() { throw new UnsupportedOperationException(); }

    public void setDoCheckout(boolean doCheckout) { throw new UnsupportedOperationException(); }

    public boolean isDoCheckout() { throw new UnsupportedOperationException(); }

    public void setSubdirectory(String subdirectory) { throw new UnsupportedOperationException(); }

    public String getSubdirectory() { throw new UnsupportedOperationException(); }

    @Override
    public DeclarativeAgentDescriptor getDescriptor() { throw new UnsupportedOperationException(); }
}
