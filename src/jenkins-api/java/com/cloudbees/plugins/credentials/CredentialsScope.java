package com.cloudbees.plugins.credentials;

/** Stand-in of credentials 1415 CredentialsScope.java (constants only). */
public enum CredentialsScope {
    SYSTEM,
    GLOBAL,
    USER;
}
