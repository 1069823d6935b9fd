package io.jenkins.plugins.mesosagents.cloud;

import hudson.slaves.Cloud;
import hudson.util.FormValidation;

import io.jenkins.plugins.mesosagents.doctor.ClusterDoctor;
import io.jenkins.plugins.mesosagents.doctor.DoctorReport;
import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.EngineConfig;
import io.jenkins.plugins.mesosagents.settings.CloudSettings;

import jenkins.model.Jenkins;

import java.time.Duration;
import java.util.List;

/**
 * The cloud form's "Diagnose templates": runs the {@link ClusterDoctor} with the connection
 * settings in the form and the templates of the saved cloud (a form button cannot send the
 * repeatable template sections), and answers with its report. The caller checks the permission.
 */
final class TemplateDiagnosis {
    /** How long the button watches offers; the browser waits this long for the answer. */
    static final Duration WATCH = Duration.ofSeconds(10);

    private TemplateDiagnosis() {}

    static FormValidation run(
            String name,
            String masterUrls,
            String credentialsId,
            String dcosCredentialsId,
            String caCertificate)
            throws InterruptedException {
        Cloud saved = name == null ? null : Jenkins.get().getCloud(name.trim());
        if (!(saved instanceof MesosCloud cloud)) {
            return FormValidation.warning(
                    "Save this cloud with its templates first: Diagnose templates judges the"
                            + " templates of the saved cloud '"
                            + name
                            + "' (with the connection settings in this form)");
        }
        List<AgentTemplate> templates = cloud.agentTemplates();
        if (templates.isEmpty()) {
            return FormValidation.warning(
                    "The saved cloud '"
                            + name
                            + "' has no valid agent template to diagnose; add one and save"
                            + " (invalid templates are named in the Jenkins log)");
        }
        CloudSettings settings =
                cloud.settings().toBuilder()
                        .masterUrls(masterUrls)
                        .caCertificate(caCertificate)
                        .build();
        DoctorReport report;
        try {
            report =
                    ClusterDoctor.examine(
                            new ClusterDoctor.Request(
                                    settings,
                                    templates,
                                    CloudSessions.credentials(credentialsId, dcosCredentialsId),
                                    null,
                                    settings.frameworkName() + "-doctor",
                                    WATCH,
                                    EngineConfig.builder(settings.name(), "http://unused/")
                                            .build()
                                            .reserveGpuHosts()));
        } catch (IllegalStateException | IllegalArgumentException e) {
            // credentials that cannot be found or read: say which, as Test connection does
            return FormValidation.error("Cannot diagnose: " + e.getMessage());
        }
        // FormValidation escapes the text and turns its line breaks into <br>
        // (jenkins-2.479.3 core/src/main/java/hudson/Util.java:1028-1029)
        String text = report.render();
        return switch (report.outcome()) {
            case ALL_FIT -> FormValidation.ok(text);
            case SOME_NEVER_FIT, NO_OFFERS -> FormValidation.warning(text);
            default -> FormValidation.error(text);
        };
    }
}
