package io.jenkins.plugins.mesosagents.steps;

import org.jenkinsci.plugins.workflow.steps.Step;
import org.kohsuke.stapler.DataBoundSetter;

import java.io.Serializable;

/**
 * What the steps that drive an image builder on the agent share: which builder, its storage driver,
 * whether the registry is insecure (plain HTTP or unverified TLS), and the registry login.
 */
public abstract class BuilderStep extends Step implements Serializable {
    private static final long serialVersionUID = 1L;

    private String credentialsId = "";
    private String builder = "auto";
    private String storageDriver = "";
    private boolean insecure;

    /** How to run the builder on the agent. */
    ImageWork.BuilderSpec builderSpec(String isolation) {
        return new ImageWork.BuilderSpec(builder, storageDriver, isolation, insecure);
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = credentialsId == null ? "" : credentialsId;
    }

    public String getBuilder() {
        return builder;
    }

    @DataBoundSetter
    public void setBuilder(String builder) {
        this.builder = builder == null || builder.isBlank() ? "auto" : builder;
    }

    public String getStorageDriver() {
        return storageDriver;
    }

    @DataBoundSetter
    public void setStorageDriver(String storageDriver) {
        this.storageDriver = storageDriver == null ? "" : storageDriver;
    }

    public boolean isInsecure() {
        return insecure;
    }

    /** Push over plain HTTP or without verifying TLS (a registry on a trusted local network). */
    @DataBoundSetter
    public void setInsecure(boolean insecure) {
        this.insecure = insecure;
    }
}
