package com.cloudbees.plugins.credentials;

import java.io.Serializable;

/** Stand-in of credentials 1415 CredentialsMatcher.java. */
public interface CredentialsMatcher extends Serializable {
    boolean matches(Credentials item);
}
