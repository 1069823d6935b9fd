package com.cloudbees.plugins.credentials.common;

import com.cloudbees.plugins.credentials.Credentials;

/** Stand-in of credentials 1415 common/UsernameCredentials.java. */
public interface UsernameCredentials extends Credentials {
    String getUsername();

    default boolean isUsernameSecret() { throw new UnsupportedOperationException(); }
}
