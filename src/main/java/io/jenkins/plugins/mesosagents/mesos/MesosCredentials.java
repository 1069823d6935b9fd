package io.jenkins.plugins.mesosagents.mesos;

import io.jenkins.plugins.mesosagents.dcos.ServiceAccount;

import okhttp3.HttpUrl;

import java.security.PrivateKey;
import java.util.Objects;
import java.util.Optional;

/**
 * How the framework authenticates to the master. Secrets are held here and only here; {@code
 * toString()} never shows them, and neither does any exception or log line of this package.
 */
public sealed interface MesosCredentials {

    /**
     * The principal to put into {@code FrameworkInfo.principal} (the master rejects a different
     * one).
     */
    String principal();

    /**
     * HTTP Basic ({@code --authenticate_http_frameworks} with the {@code basic} authenticator). The
     * master splits the decoded {@code principal:secret} on every ':' and needs exactly two parts,
     * so neither may contain ':'.
     */
    record Basic(String principal, String secret) implements MesosCredentials {
        public Basic {
            if (principal == null || principal.isEmpty()) {
                throw new IllegalArgumentException("Mesos principal must not be empty");
            }
            if (principal.indexOf(':') >= 0) {
                throw new IllegalArgumentException(
                        "Mesos principal '"
                                + principal
                                + "' contains ':'; the master's Basic authenticator cannot parse"
                                + " it. Use a principal without ':'.");
            }
            Objects.requireNonNull(secret, "secret");
            if (secret.indexOf(':') >= 0) {
                throw new IllegalArgumentException(
                        "The Mesos secret for principal '"
                                + principal
                                + "' contains ':'; the master's Basic authenticator splits on ':'"
                                + " and can never accept it. Choose a secret without ':' (and"
                                + " update the master's --credentials file).");
            }
        }

        @Override
        public String toString() {
            return "Basic[principal=" + principal + ", secret=****]";
        }
    }

    /**
     * A DC/OS service account: a login token (RS256 JWT {@code {"uid", "exp"}} signed with {@code
     * privateKey}) is exchanged at {@code loginUrl} (by default {@code /acs/api/v1/auth/login} on
     * the master's host) for an authentication token sent as {@code Authorization: token=…}; a 401
     * triggers one fresh login.
     */
    record DcosServiceAccount(String uid, PrivateKey privateKey, Optional<HttpUrl> loginUrl)
            implements MesosCredentials {
        public DcosServiceAccount {
            new ServiceAccount(uid, privateKey, loginUrl); // the same rules as everywhere we log in
        }

        /** From the secret DC/OS users keep ({@code {"uid", "private_key", "login_endpoint"}}). */
        public static DcosServiceAccount of(ServiceAccount account) {
            return new DcosServiceAccount(account.uid(), account.privateKey(), account.loginUrl());
        }

        ServiceAccount account() {
            return new ServiceAccount(uid, privateKey, loginUrl);
        }

        @Override
        public String principal() {
            return uid;
        }

        @Override
        public String toString() {
            return "DcosServiceAccount[uid="
                    + uid
                    + ", privateKey=****"
                    + loginUrl.map(u -> ", loginUrl=" + u.redact()).orElse("")
                    + "]";
        }
    }
}
