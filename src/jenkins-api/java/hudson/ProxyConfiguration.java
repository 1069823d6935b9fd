package hudson;

import hudson.model.AbstractDescribableImpl;
import hudson.util.Secret;
import java.io.Serializable;
import java.net.Proxy;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/ProxyConfiguration.java (signatures only; the real class
 * also implements Saveable, not needed here). */
public final class ProxyConfiguration extends AbstractDescribableImpl<ProxyConfiguration> implements Serializable {
    public final String name;
    public final int port;

    public ProxyConfiguration(String name, int port) { throw new UnsupportedOperationException(); }

    public String getUserName() { throw new UnsupportedOperationException(); }

    public Secret getSecretPassword() { throw new UnsupportedOperationException(); }

    public int getPort() { throw new UnsupportedOperationException(); }

    public String getName() { throw new UnsupportedOperationException(); }

    public Proxy createProxy(String host) { throw new UnsupportedOperationException(); }
}
