package io.jenkins.plugins.mesosagents.cloud;

import hudson.Extension;
import hudson.RelativePath;
import hudson.model.Descriptor;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;

import io.jenkins.plugins.mesosagents.engine.TemplateProblem;
import io.jenkins.plugins.mesosagents.settings.NumberText;
import io.jenkins.plugins.mesosagents.settings.TemplateSettings;
import io.jenkins.plugins.mesosagents.settings.TemplateText;

import jenkins.YesNoMaybe;
import jenkins.model.Jenkins;

import org.jenkinsci.Symbol;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

import java.util.List;

/**
 * The descriptor: the template's section of the cloud form and its validation. Every check runs the
 * same conversion the session uses ({@link TemplateSettings#toAgentTemplate}, hence the engine's
 * TemplateValidator) and only turns its problems into a FormValidation.
 */
@Extension(dynamicLoadable = YesNoMaybe.YES)
@Symbol("mesosAgentTemplate")
public final class MesosAgentTemplateDescriptor extends Descriptor<MesosAgentTemplate> {
    public MesosAgentTemplateDescriptor() {
        super(MesosAgentTemplate.class);
    }

    @Override
    public String getDisplayName() {
        return "Mesos agent template";
    }

    @POST
    public FormValidation doCheckName(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return FieldCheck.template("name", TemplateSettings.builder(value));
    }

    /**
     * An unknown parent or a cycle, among the saved templates of the cloud this form belongs to
     * (its name is the enclosing cloud form's {@code name}); before the cloud is first saved only a
     * template inheriting from itself can be told.
     */
    @POST
    public FormValidation doCheckInheritFrom(
            @QueryParameter String value,
            @QueryParameter String name,
            @RelativePath("..") @QueryParameter("name") String cloudName) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        List<TemplateSettings> saved = List.of();
        if (cloudName != null
                && !cloudName.isBlank()
                && Jenkins.get().getCloud(cloudName.trim()) instanceof MesosCloud cloud) {
            saved = cloud.getTemplates().stream().map(MesosAgentTemplate::settings).toList();
        } else if (value != null && !value.isBlank() && !value.trim().equals(name)) {
            return FormValidation.warning(
                    "Save the cloud to check that a template named '"
                            + value.trim()
                            + "' exists in it");
        }
        return FieldCheck.inheritFrom(value, name, saved);
    }

    @POST
    public FormValidation doCheckLabelString(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        if (value == null || value.isBlank()) {
            return FormValidation.warning(
                    "Without labels only jobs with no label use this template, and only if"
                            + " Usage is 'Use this node as much as possible'");
        }
        return FormValidation.ok();
    }

    @POST
    public FormValidation doCheckCpus(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return FieldCheck.decimal("cpus", value, 1.0, (b, v) -> b.cpus(v));
    }

    @POST
    public FormValidation doCheckMemMb(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return FieldCheck.decimal("memMb", value, 1024, (b, v) -> b.memMb(v));
    }

    @POST
    public FormValidation doCheckDiskMb(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return FieldCheck.decimal("diskMb", value, 0, (b, v) -> b.diskMb(v));
    }

    @POST
    public FormValidation doCheckJvmHeapMb(
            @QueryParameter String value, @QueryParameter String memMb) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        double mem = NumberText.decimal("memMb", memMb, 1024).value();
        return FieldCheck.integer(
                "jvmHeapMb", value, 0, (b, v) -> b.memMb(Math.max(mem, 32)).jvmHeapMb(v));
    }

    @POST
    public FormValidation doCheckGpus(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return FieldCheck.integer("gpus", value, 0, (b, v) -> b.gpus(v));
    }

    @POST
    public FormValidation doCheckHostPorts(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return FieldCheck.integer("hostPorts", value, 0, (b, v) -> b.hostPorts(v));
    }

    @POST
    public FormValidation doCheckExecutors(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return FieldCheck.integer("executors", value, 1, (b, v) -> b.executors(v));
    }

    @POST
    public FormValidation doCheckInstanceCap(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return FieldCheck.integer("instanceCap", value, 0, (b, v) -> b.instanceCap(v));
    }

    @POST
    public FormValidation doCheckIdleTerminationMinutes(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return FieldCheck.integer(
                "idleTerminationMinutes", value, 3, (b, v) -> b.idleTerminationMinutes(v));
    }

    @POST
    public FormValidation doCheckLaunchTimeoutSeconds(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        // the engine names this rule's field launchTimeout (a Duration)
        return FieldCheck.integer(
                "launchTimeoutSeconds",
                "launchTimeout",
                value,
                300,
                (b, v) -> b.launchTimeoutSeconds(v));
    }

    @POST
    public FormValidation doCheckRole(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return FieldCheck.template("role", TemplateSettings.builder("t").role(value));
    }

    @POST
    public FormValidation doCheckUser(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return FieldCheck.template("user", TemplateSettings.builder("t").user(value));
    }

    @POST
    public FormValidation doCheckRegion(
            @QueryParameter String value, @QueryParameter String faultDomain) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return FieldCheck.template(
                "region", TemplateSettings.builder("t").faultDomain(faultDomain).region(value));
    }

    @POST
    public FormValidation doCheckConstraints(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return problems(TemplateText.constraints("constraints", value).problems());
    }

    @POST
    public FormValidation doCheckEnvironment(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return problems(TemplateText.environment("environment", value).problems());
    }

    @POST
    public FormValidation doCheckFetchUris(@QueryParameter String value) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return problems(TemplateText.fetchUris("fetchUris", value).problems());
    }

    public ListBoxModel doFillFaultDomainItems() {
        return options(
                "HOME_REGION",
                "The master's home region",
                "ANY",
                "Any region",
                "REGION",
                "A given region/zone");
    }

    static ListBoxModel options(String... valueAndName) {
        ListBoxModel model = new ListBoxModel();
        for (int i = 0; i < valueAndName.length; i += 2) {
            model.add(valueAndName[i + 1], valueAndName[i]);
        }
        return model;
    }

    static FormValidation problems(List<TemplateProblem> problems) {
        return problems.isEmpty()
                ? FormValidation.ok()
                : FormValidation.error(
                        String.join(
                                "\n", problems.stream().map(TemplateProblem::message).toList()));
    }
}
