package hudson.model;

import jenkins.model.Jenkins;

/** Stand-in of jenkins-2.479.3 core/src/main/java/hudson/model/Hudson.java (only the CloudList type). */
public class Hudson extends Jenkins {
    public Hudson(java.io.File root, jakarta.servlet.ServletContext context) throws java.io.IOException, InterruptedException, org.jvnet.hudson.reactor.ReactorException {
        super(root, context);
        throw new UnsupportedOperationException();
    }

    /** Stand-in of Hudson.CloudList (really Hudson.CloudList extends Jenkins.CloudList extends DescribableList
     * extends PersistedList; flattened, javac records this class as the owner of the calls). */
    public static class CloudList extends java.util.AbstractList<hudson.slaves.Cloud> {
        public CloudList(Jenkins h) { throw new UnsupportedOperationException(); }

        public CloudList() { throw new UnsupportedOperationException(); }

        @Override
        public hudson.slaves.Cloud get(int index) { throw new UnsupportedOperationException(); }

        @Override
        public int size() { throw new UnsupportedOperationException(); }

        public hudson.slaves.Cloud getByName(String name) { throw new UnsupportedOperationException(); }

        public <U extends hudson.slaves.Cloud> java.util.List<U> getAll(Class<U> type) { throw new UnsupportedOperationException(); }
    }
}
