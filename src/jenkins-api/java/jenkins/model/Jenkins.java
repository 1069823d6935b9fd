package jenkins.model;

import hudson.ExtensionList;
import hudson.model.Computer;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.Hudson;
import hudson.model.Label;
import hudson.model.Node;
import hudson.security.ACL;
import hudson.security.AccessControlled;
import hudson.security.Permission;
import hudson.slaves.Cloud;
import hudson.slaves.NodeProvisioner;
import java.io.File;
import java.io.IOException;
import java.util.List;

/** Stand-in of jenkins-2.479.3 core/src/main/java/jenkins/model/Jenkins.java (signatures only; the real class
 * extends AbstractCIBase, flattened here as javac records the static receiver type as the owner; Saveable comes
 * through ItemGroup → PersistenceRoot). */
public class Jenkins implements AccessControlled, hudson.model.Saveable {
    public static final Permission ADMINISTER = null;
    public static final Permission MANAGE = null;
    public static final Permission SYSTEM_READ = null;
    public static final Permission READ = null;

    public final Hudson.CloudList clouds;
    public final transient NodeProvisioner unlabeledNodeProvisioner;

    protected Jenkins(File root, jakarta.servlet.ServletContext context) throws IOException, InterruptedException, org.jvnet.hudson.reactor.ReactorException { throw new UnsupportedOperationException(); }

    public static Jenkins get() throws IllegalStateException { throw new UnsupportedOperationException(); }

    public static Jenkins getInstanceOrNull() { throw new UnsupportedOperationException(); }

    public hudson.ProxyConfiguration getProxy() { throw new UnsupportedOperationException(); }

    public Cloud getCloud(String name) { throw new UnsupportedOperationException(); }

    public Node getNode(String name) { throw new UnsupportedOperationException(); }

    public hudson.model.Queue getQueue() { throw new UnsupportedOperationException(); }

    public List<Node> getNodes() { throw new UnsupportedOperationException(); }

    public void addNode(Node n) throws IOException { throw new UnsupportedOperationException(); }

    public void removeNode(Node n) throws IOException { throw new UnsupportedOperationException(); }

    public boolean updateNode(Node n) throws IOException { throw new UnsupportedOperationException(); }

    public Label getLabel(String expr) { throw new UnsupportedOperationException(); }

    public Computer getComputer(String name) { throw new UnsupportedOperationException(); }

    public String getRootUrl() throws IllegalStateException { throw new UnsupportedOperationException(); }

    public <T> ExtensionList<T> getExtensionList(Class<T> extensionType) { throw new UnsupportedOperationException(); }

    @SuppressWarnings("rawtypes")
    public Descriptor getDescriptorOrDie(Class<? extends Describable> type) { throw new UnsupportedOperationException(); }

    public File getRootDir() { throw new UnsupportedOperationException(); }

    public synchronized void save() throws IOException { throw new UnsupportedOperationException(); }

    @Override
    public ACL getACL() { throw new UnsupportedOperationException(); }

    public boolean isQuietingDown() { throw new UnsupportedOperationException(); }

    public static void checkGoodName(String name) throws hudson.model.Failure { throw new UnsupportedOperationException(); }
}
