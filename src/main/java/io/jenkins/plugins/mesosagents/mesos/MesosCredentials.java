package io.jenkins.plugins.mesosagents.mesos;

import io.jenkins.plugins.mesosagents.dcos.ServiceAccount;

import okhttp3.HttpUrl;

import java.security.PrivateKey;
import java.util.List;
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
     * privateKey}) is exchanged at {@code loginUrl} for an authentication token sent as {@code
     * Authorization: token=…}; a 401 triggers one fresh login. Without {@code loginUrl} the login
     * is Admin Router's on the cluster URL, which only a gateway master URL ({@code
     * https://<cluster>/mesos}) names; see {@link #loginProblem(String)}.
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

        /**
         * Why this account cannot log in next to these masters ({@code http(s)://...} list or
         * {@code zk://...}), or empty. DC/OS serves the service login only behind Admin Router, on
         * the cluster URL ({@code https://<cluster>/acs/api/v1/auth/login}, DC/OS docs
         * security/oss/login/service-login), and a Mesos master's own port has none. Without {@code
         * login_endpoint} only gateway URLs ({@code https://<cluster>/mesos}) say where the cluster
         * URL is; for a direct or ZooKeeper master URL the login is not guessed: the documented
         * secrets carry {@code login_endpoint} with {@code https://} or {@code http://} by security
         * mode, which a master URL does not reveal.
         */
        public Optional<String> loginProblem(String masterUrls) {
            if (loginUrl.isPresent()) {
                return Optional.empty();
            }
            String spec = masterUrls == null ? "" : masterUrls.strip();
            return loginProblem(
                    spec.regionMatches(true, 0, "zk://", 0, 5)
                            ? List.of()
                            : StaticMasterDetector.parse(spec).candidates());
        }

        Optional<String> loginProblem(MasterDetector masters) {
            if (loginUrl.isPresent()) {
                return Optional.empty();
            }
            return loginProblem(
                    masters instanceof StaticMasterDetector fixed ? fixed.candidates() : List.of());
        }

        private Optional<String> loginProblem(List<HttpUrl> masters) {
            Optional<HttpUrl> direct =
                    masters.stream().filter(m -> !HttpUrls.isGateway(m)).findFirst();
            if (!masters.isEmpty() && direct.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(
                    "The DC/OS service account '"
                            + uid
                            + "' has no login_endpoint, and "
                            + direct.map(
                                            m ->
                                                    m.scheme()
                                                            + "://"
                                                            + m.host()
                                                            + ":"
                                                            + m.port()
                                                            + " is a Mesos master's own address")
                                    .orElse("a zk:// master URL finds the masters themselves")
                            + ", where DC/OS serves no login (its login is behind Admin Router, on"
                            + " the cluster URL). Either use the cluster URL through Admin Router"
                            + " as the master URL, https://<cluster>/mesos (the login is then"
                            + " https://<cluster>/acs/api/v1/auth/login), or add"
                            + " \"login_endpoint\": \"https://<cluster>/acs/api/v1/auth/login\" to"
                            + " the service-account secret.");
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
