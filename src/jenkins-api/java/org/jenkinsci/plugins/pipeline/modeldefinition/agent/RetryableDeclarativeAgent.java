package org.jenkinsci.plugins.pipeline.modeldefinition.agent;

import org.kohsuke.stapler.DataBoundSetter;

/** Stand-in of jenkinsci/pipeline-model-definition-plugin 4e96d2bdaf9b (release 2.2258.v4e96d2b_da_f9b_) pipeline-model-extensions/src/main/java/org/jenkinsci/plugins/pipeline/modeldefinition/agent/RetryableDeclarativeAgent.java (signatures only). */
public abstract class RetryableDeclarativeAgent<A extends RetryableDeclarativeAgent<A>> extends DeclarativeAgent<A> {
    public int getRetries() { throw new UnsupportedOperationException(); }

    @DataBoundSetter
    public void setRetries(int retries) { throw new UnsupportedOperationException(); }
}
