package com.cloudbees.plugins.credentials.common;

/** Stand-in of credentials 1415 common/StandardUsernameCredentials.java. */
public interface StandardUsernameCredentials extends StandardCredentials, UsernameCredentials {
}
