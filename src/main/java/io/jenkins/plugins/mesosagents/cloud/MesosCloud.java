package io.jenkins.plugins.mesosagents.cloud;

import hudson.Extension;
import hudson.model.Descriptor;
import hudson.slaves.Cloud;
import hudson.slaves.NodeProvisioner.PlannedNode;
import hudson.util.FormValidation;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import jenkins.YesNoMaybe;
import jenkins.model.Jenkins;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * A Jenkins cloud backed by an Apache Mesos cluster, configured under Manage Jenkins → Clouds. This class only
 * holds what the user configured (XStream persists its non-transient fields into {@code config.xml}); the
 * connection to Mesos and the provisioning engine live outside it, keyed by cloud name, because saving the
 * configuration page replaces this object.
 */
public class MesosCloud extends Cloud {
    private String masterUrls = "";
    private String frameworkName = "jenkins";
    private String jenkinsUrl = "";

    @DataBoundConstructor
    public MesosCloud(String name) {
        super(name);
    }

    public String getMasterUrls() {
        return masterUrls;
    }

    @DataBoundSetter
    public void setMasterUrls(String masterUrls) {
        this.masterUrls = masterUrls == null ? "" : masterUrls.trim();
    }

    public String getFrameworkName() {
        return frameworkName;
    }

    @DataBoundSetter
    public void setFrameworkName(String frameworkName) {
        this.frameworkName = frameworkName == null || frameworkName.isBlank() ? "jenkins" : frameworkName.trim();
    }

    public String getJenkinsUrl() {
        return jenkinsUrl;
    }

    @DataBoundSetter
    public void setJenkinsUrl(String jenkinsUrl) {
        this.jenkinsUrl = jenkinsUrl == null ? "" : jenkinsUrl.trim();
    }

    // Provisioning is wired to the engine by the cloud glue; until a template matches, this cloud offers nothing.
    @Override
    public boolean canProvision(CloudState state) {
        return false;
    }

    @Override
    public Collection<PlannedNode> provision(CloudState state, int excessWorkload) {
        return List.of();
    }

    /** Checks one master address the way the cloud will use it, so the form can point at the bad one. */
    static List<String> masterUrlProblems(String masterUrls) {
        List<String> problems = new ArrayList<>();
        if (masterUrls == null || masterUrls.isBlank()) {
            problems.add("Enter at least one Mesos master, e.g. http://mesos-master:5050 or zk://zk1:2181/mesos");
            return problems;
        }
        String trimmed = masterUrls.trim();
        // a zk:// URL lists its ensemble with commas itself, so it stands alone
        String[] addresses = trimmed.startsWith("zk://") ? new String[] {trimmed} : trimmed.split("[,\\s]+");
        for (String raw : addresses) {
            if (raw.isEmpty()) {
                continue;
            }
            try {
                URI uri = new URI(raw);
                String scheme = uri.getScheme();
                if (scheme == null || !(scheme.equals("http") || scheme.equals("https") || scheme.equals("zk"))) {
                    problems.add("'" + raw + "': use http://, https:// or zk:// (for example http://mesos-master:5050)");
                } else if (!scheme.equals("zk") && uri.getHost() == null) {
                    problems.add("'" + raw + "': no host name; write it as " + scheme + "://host:port");
                }
            } catch (java.net.URISyntaxException e) {
                problems.add("'" + raw + "' is not a URL: " + e.getReason());
            }
        }
        return problems;
    }

    /** The descriptor: makes the cloud appear under Manage Jenkins → Clouds and in JCasC as {@code mesos}. */
    @Extension(dynamicLoadable = YesNoMaybe.YES)
    @Symbol("mesos")
    public static final class DescriptorImpl extends Descriptor<Cloud> {
        @Override
        public String getDisplayName() {
            return "Mesos";
        }

        @POST
        public FormValidation doCheckMasterUrls(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            List<String> problems = masterUrlProblems(value);
            return problems.isEmpty() ? FormValidation.ok() : FormValidation.error(String.join("; ", problems));
        }
    }
}
