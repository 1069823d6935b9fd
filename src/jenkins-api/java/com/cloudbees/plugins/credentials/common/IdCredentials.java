package com.cloudbees.plugins.credentials.common;

import com.cloudbees.plugins.credentials.Credentials;

/** Stand-in of credentials 1415 common/IdCredentials.java. */
public interface IdCredentials extends Credentials {
    String getId();
}
