package jenkins.security;

/** Stand-in of jenkins-2.479.3 core/src/main/java/jenkins/security/HMACConfidentialKey.java (signatures only). */
public class HMACConfidentialKey {
    public HMACConfidentialKey(String id, int length) { throw new UnsupportedOperationException(); }

    public String mac(String message) { throw new UnsupportedOperationException(); }

    public boolean checkMac(String message, String mac) { throw new UnsupportedOperationException(); }
}
