package io.jenkins.plugins.mesosagents.dcos;

import java.security.cert.CertificateException;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Says what to do when a server's TLS certificate is not trusted. Certificate checks are always on:
 * the JDK's trust store, plus the CA certificates a setting gives, is the only trust there is.
 */
public final class TlsFailures {
    /** Where a cloud takes the Mesos masters' CA (the form field and JCasC key). */
    public static final String MASTER_CA_SETTING =
            "the cloud's 'CA certificates (PEM)' (caCertificate)";

    private TlsFailures() {}

    /** Whether {@code e} (or a cause) is a refused certificate or host name. */
    public static boolean untrusted(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLHandshakeException
                    || t instanceof SSLPeerUnverifiedException
                    || t instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }

    /**
     * For an untrusted certificate: "; SERVER's TLS certificate is not trusted: give …" naming the
     * {@code setting} that takes its CA; otherwise empty.
     */
    public static String hint(Throwable e, String server, String setting) {
        return untrusted(e)
                ? "; "
                        + server
                        + "'s TLS certificate is not trusted (or not issued for its host name):"
                        + " give the CA certificate that signed it (PEM) in "
                        + setting
                        + "; certificate checks cannot be turned off"
                : "";
    }
}
