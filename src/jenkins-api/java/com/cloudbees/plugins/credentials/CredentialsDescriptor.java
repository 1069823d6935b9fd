package com.cloudbees.plugins.credentials;

import hudson.model.Descriptor;

/** Stand-in of credentials 1415 CredentialsDescriptor.java (signatures only). */
public abstract class CredentialsDescriptor extends Descriptor<Credentials> {
    protected CredentialsDescriptor() { throw new UnsupportedOperationException(); }
}
