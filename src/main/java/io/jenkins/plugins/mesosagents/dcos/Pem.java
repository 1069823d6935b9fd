package io.jenkins.plugins.mesosagents.dcos;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * PEM parsing for CA bundles and RSA private keys (PKCS#8 or PKCS#1), with error messages that
 * never echo key bytes.
 */
public final class Pem {
    private static final Pattern PRIVATE_KEY =
            Pattern.compile(
                    "-----BEGIN (RSA )?PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END (RSA )?PRIVATE"
                            + " KEY-----");
    // AlgorithmIdentifier { rsaEncryption, NULL }
    private static final byte[] RSA_ALGORITHM_ID = {
        0x30,
        0x0d,
        0x06,
        0x09,
        0x2a,
        (byte) 0x86,
        0x48,
        (byte) 0x86,
        (byte) 0xf7,
        0x0d,
        0x01,
        0x01,
        0x01,
        0x05,
        0x00
    };

    private Pem() {}

    /** Parses an RSA private key in PEM form ("BEGIN PRIVATE KEY" or "BEGIN RSA PRIVATE KEY"). */
    public static PrivateKey rsaPrivateKey(String pem) {
        Matcher m = PRIVATE_KEY.matcher(pem == null ? "" : pem);
        if (!m.find()) {
            throw new IllegalArgumentException(
                    "Not a PEM RSA private key: expected a '-----BEGIN PRIVATE KEY-----' or"
                            + " '-----BEGIN RSA PRIVATE KEY-----' block (encrypted keys are not"
                            + " supported)");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            byte[] pkcs8 = m.group(1) != null ? wrapPkcs1(der) : der;
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // deliberately without the cause's message: it could quote key material
            throw new IllegalArgumentException(
                    "The PEM private key could not be read as an RSA key ("
                            + e.getClass().getSimpleName()
                            + ")");
        }
    }

    /** A trust manager trusting exactly the certificates of a PEM bundle. */
    public static X509TrustManager trustManager(String pemBundle) {
        try {
            Collection<? extends Certificate> certs =
                    CertificateFactory.getInstance("X.509")
                            .generateCertificates(
                                    new ByteArrayInputStream(
                                            pemBundle.getBytes(StandardCharsets.US_ASCII)));
            if (certs.isEmpty()) {
                throw new IllegalArgumentException(
                        "The CA bundle contains no '-----BEGIN CERTIFICATE-----' block");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate cert : certs) {
                store.setCertificateEntry("ca-" + i++, cert);
            }
            TrustManagerFactory factory =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (var tm : factory.getTrustManagers()) {
                if (tm instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("The JDK offers no X509TrustManager");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException(
                    "The CA bundle is not valid PEM X.509: " + e.getMessage(), e);
        }
    }

    private static byte[] wrapPkcs1(byte[] pkcs1) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00}); // version 0
        body.writeBytes(RSA_ALGORITHM_ID);
        body.write(0x04);
        writeLength(body, pkcs1.length);
        body.writeBytes(pkcs1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        writeLength(out, body.size());
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static void writeLength(ByteArrayOutputStream out, int length) {
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length);
        } else {
            out.write(0x83);
            out.write(length >> 16);
            out.write(length >> 8);
            out.write(length);
        }
    }
}
