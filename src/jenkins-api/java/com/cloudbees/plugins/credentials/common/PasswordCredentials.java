package com.cloudbees.plugins.credentials.common;

import com.cloudbees.plugins.credentials.Credentials;
import hudson.util.Secret;

/** Stand-in of credentials 1415 common/PasswordCredentials.java. */
public interface PasswordCredentials extends Credentials {
    Secret getPassword();
}
