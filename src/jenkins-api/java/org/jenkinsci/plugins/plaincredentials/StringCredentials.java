package org.jenkinsci.plugins.plaincredentials;

import com.cloudbees.plugins.credentials.common.StandardCredentials;
import hudson.util.Secret;

/** Stand-in of plain-credentials 199 org.jenkinsci.plugins.plaincredentials.StringCredentials. */
public interface StringCredentials extends StandardCredentials {
    Secret getSecret();
}
