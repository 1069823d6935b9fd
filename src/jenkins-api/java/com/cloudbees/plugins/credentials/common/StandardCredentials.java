package com.cloudbees.plugins.credentials.common;

/** Stand-in of credentials 1415 common/StandardCredentials.java. */
public interface StandardCredentials extends IdCredentials {
    String getDescription();
}
