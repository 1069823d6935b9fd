package com.cloudbees.plugins.credentials.common;

/** Stand-in of credentials 1415 common/StandardUsernamePasswordCredentials.java. */
public interface StandardUsernamePasswordCredentials extends StandardUsernameCredentials, UsernamePasswordCredentials {
}
