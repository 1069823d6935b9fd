package jenkins.model;

/** Stand-in of jenkins-2.479.3 core/src/main/java/jenkins/model/JenkinsLocationConfiguration.java (signatures only). */
public class JenkinsLocationConfiguration {
    public JenkinsLocationConfiguration() { throw new UnsupportedOperationException(); }

    public static JenkinsLocationConfiguration get() { throw new UnsupportedOperationException(); }

    public String getUrl() { throw new UnsupportedOperationException(); }
}
