package com.cloudbees.plugins.credentials.common;

/** Stand-in of credentials 1415 common/StandardListBoxModel.java (signatures only). */
public class StandardListBoxModel extends AbstractIdCredentialsListBoxModel<StandardListBoxModel, StandardCredentials> {
    public StandardListBoxModel() { throw new UnsupportedOperationException(); }
}
