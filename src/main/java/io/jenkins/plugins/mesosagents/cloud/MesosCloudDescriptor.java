package io.jenkins.plugins.mesosagents.cloud;

import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;

import hudson.Extension;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.security.ACL;
import hudson.slaves.Cloud;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;

import io.jenkins.plugins.mesosagents.mesos.LibraryErrors;
import io.jenkins.plugins.mesosagents.mesos.MesosCredentials;
import io.jenkins.plugins.mesosagents.settings.CloudSettings;
import io.jenkins.plugins.mesosagents.settings.JenkinsfileRules;

import jenkins.YesNoMaybe;
import jenkins.model.Jenkins;

import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@link MesosCloud}'s descriptor: makes the cloud appear under Manage Jenkins → Clouds and in JCasC as {@code
 * mesosAgents}. Not {@code mesos}: JCasC derives that name from any {@code MesosCloud} class
 * (configuration-as-code DescribableAttribute.getSymbols), jenkinsci/mesos-plugin's included.
 */
@Extension(dynamicLoadable = YesNoMaybe.YES)
@Symbol("mesosAgents")
public final class MesosCloudDescriptor extends Descriptor<Cloud> {
    private static final Logger LOGGER = Logger.getLogger(MesosCloudDescriptor.class.getName());

    @Override
    public String getDisplayName() {
        return "Mesos";
    }

    @POST
    public FormValidation doCheckMasterUrls(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        List<String> problems = CloudSettings.masterUrlProblems(value);
        return problems.isEmpty()
                ? FormValidation.ok()
                : FormValidation.error(String.join("; ", problems));
    }

    /**
     * A DC/OS service account without {@code login_endpoint} logs in on the cluster URL of a
     * gateway master URL ({@code https://<cluster>/mesos}); with any other master URL it has no
     * login, which is said here instead of at every SUBSCRIBE.
     */
    @POST
    public FormValidation doCheckDcosCredentialsId(
            @QueryParameter String value, @QueryParameter String masterUrls) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        if (value == null
                || value.isBlank()
                || !CloudSettings.masterUrlProblems(masterUrls).isEmpty()) {
            return FormValidation.ok();
        }
        try {
            return CloudSessions.credentials(null, value)
                            instanceof MesosCredentials.DcosServiceAccount account
                    ? account.loginProblem(masterUrls)
                            .map(FormValidation::error)
                            .orElse(FormValidation.ok())
                    : FormValidation.ok();
        } catch (IllegalArgumentException | IllegalStateException e) {
            return FormValidation.error(e.getMessage());
        }
    }

    /** "Test connection": finds the leading master with these settings and reads its state. */
    @POST
    public FormValidation doTestConnection(
            @QueryParameter String masterUrls,
            @QueryParameter String credentialsId,
            @QueryParameter String dcosCredentialsId,
            @QueryParameter String caCertificate) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        List<String> problems = CloudSettings.masterUrlProblems(masterUrls);
        if (!problems.isEmpty()) {
            return FormValidation.error(String.join("; ", problems));
        }
        try {
            return FormValidation.ok(
                    "Connected: "
                            + CloudSessions.probe(
                                    masterUrls,
                                    credentialsId,
                                    dcosCredentialsId,
                                    caCertificate));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return FormValidation.error("Mesos connection test failed: " + e.getMessage());
        } catch (LinkageError | ServiceConfigurationError e) {
            // Stapler would answer an Error with HTTP 500 and a stack trace
            String failure = LibraryErrors.describe(e);
            LOGGER.log(Level.SEVERE, "Test connection: " + failure, e);
            return FormValidation.error("Mesos connection test failed: " + failure);
        }
    }

    /**
     * "Diagnose templates": watches the cluster's offers for a few seconds with these
     * connection settings and says, per saved template, whether it would fit and if not why.
     */
    @POST
    public FormValidation doDiagnoseTemplates(
            @QueryParameter String name,
            @QueryParameter String masterUrls,
            @QueryParameter String credentialsId,
            @QueryParameter String dcosCredentialsId,
            @QueryParameter String caCertificate)
            throws InterruptedException {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        List<String> problems = CloudSettings.masterUrlProblems(masterUrls);
        if (!problems.isEmpty()) {
            return FormValidation.error(String.join("; ", problems));
        }
        return TemplateDiagnosis.run(
                name, masterUrls, credentialsId, dcosCredentialsId, caCertificate);
    }

    @POST
    public ListBoxModel doFillEncodingItems() {
        ListBoxModel items = new ListBoxModel();
        items.add(
                "Protobuf (default; switches to JSON when the master answers 415)", "PROTOBUF");
        items.add("JSON", "JSON");
        return items;
    }

    @POST
    public FormValidation doCheckName(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return FieldCheck.cloud("cloudName", CloudSettings.builder(value));
    }

    @POST
    public FormValidation doCheckMaxAgents(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return FieldCheck.cloudInteger("maxAgents", value, (b, v) -> b.maxAgents(v));
    }

    @POST
    public FormValidation doCheckMaxCpus(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return FieldCheck.cloudDecimal("maxCpus", value, (b, v) -> b.maxCpus(v));
    }

    @POST
    public FormValidation doCheckMaxMemMb(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return FieldCheck.cloudDecimal("maxMemMb", value, (b, v) -> b.maxMemMb(v));
    }

    @POST
    public ListBoxModel doFillJenkinsfileTemplatesItems() {
        return MesosAgentTemplateDescriptor.options(
                JenkinsfileRules.UNPRIVILEGED,
                "Allowed without host access (default)",
                JenkinsfileRules.ANY,
                "Allowed, with host access where this cloud allows it",
                JenkinsfileRules.NONE,
                "Not allowed");
    }

    @POST
    public FormValidation doCheckJenkinsfileMaxCpus(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return FieldCheck.jenkinsfileLimit("jenkinsfileMaxCpus", value, false);
    }

    @POST
    public FormValidation doCheckJenkinsfileMaxMemMb(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return FieldCheck.jenkinsfileLimit("jenkinsfileMaxMemMb", value, false);
    }

    @POST
    public FormValidation doCheckJenkinsfileMaxDiskMb(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return FieldCheck.jenkinsfileLimit("jenkinsfileMaxDiskMb", value, false);
    }

    @POST
    public FormValidation doCheckJenkinsfileMaxGpus(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return FieldCheck.jenkinsfileLimit("jenkinsfileMaxGpus", value, true);
    }

    @POST
    public FormValidation doCheckFailoverTimeoutHours(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return FieldCheck.failoverTimeoutHours(value);
    }

    @POST
    public FormValidation doCheckJenkinsUrl(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        if (value == null || value.isBlank()) {
            return FormValidation.ok();
        }
        return value.matches("https?://[^/\\s]+(/.*)?")
                ? FormValidation.ok()
                : FormValidation.error(
                        "Enter the http(s) URL agents use to reach Jenkins, e.g."
                                + " https://jenkins.example.com/");
    }

    @POST
    public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId) {
        if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
            return new StandardListBoxModel().includeCurrentValue(credentialsId);
        }
        return new StandardListBoxModel()
                .includeEmptyValue()
                .includeAs(ACL.SYSTEM2, (Item) null, StandardUsernamePasswordCredentials.class)
                .includeCurrentValue(credentialsId);
    }

    @POST
    public ListBoxModel doFillDcosCredentialsIdItems(@QueryParameter String dcosCredentialsId) {
        if (!Jenkins.get().hasPermission(Jenkins.ADMINISTER)) {
            return new StandardListBoxModel().includeCurrentValue(dcosCredentialsId);
        }
        return new StandardListBoxModel()
                .includeEmptyValue()
                .includeAs(ACL.SYSTEM2, (Item) null, StringCredentials.class)
                .includeCurrentValue(dcosCredentialsId);
    }
}
