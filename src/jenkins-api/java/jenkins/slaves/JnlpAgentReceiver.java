package jenkins.slaves;

import hudson.ExtensionPoint;
import jenkins.security.HMACConfidentialKey;

/** Stand-in of jenkins-2.479.3 core/src/main/java/jenkins/slaves/JnlpAgentReceiver.java (signatures only;
 * its superclass JnlpConnectionStateListener is flattened away). */
public abstract class JnlpAgentReceiver implements ExtensionPoint {
    public static final HMACConfidentialKey SLAVE_SECRET = null;

    public JnlpAgentReceiver() { throw new UnsupportedOperationException(); }
}
