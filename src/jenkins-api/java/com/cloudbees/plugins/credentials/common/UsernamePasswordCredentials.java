package com.cloudbees.plugins.credentials.common;

/** Stand-in of credentials 1415 common/UsernamePasswordCredentials.java. */
public interface UsernamePasswordCredentials extends UsernameCredentials, PasswordCredentials {
}
