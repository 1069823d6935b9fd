package io.jenkins.plugins.mesosagents.cloud;

import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.InvalidTemplateException;
import io.jenkins.plugins.mesosagents.settings.CloudTemplates;
import io.jenkins.plugins.mesosagents.settings.JenkinsfileRules;
import io.jenkins.plugins.mesosagents.settings.JenkinsfileTemplate;
import io.jenkins.plugins.mesosagents.settings.TemplateSettings;

import jenkins.model.Jenkins;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The Jenkins side of templates declared in a Jenkinsfile ({@link MesosAgentStep}): picks the
 * cloud, applies inheritance and the administrator's rules, gives the template a unique name and
 * label and adds it to the cloud's session; later restores it after a restart, or removes it with
 * every agent it launched.
 */
final class JenkinsfileAgents {
    private final MesosClouds clouds;
    private final Supplier<List<MesosCloud>> configured;
    private final Function<TemplateSettings, AgentTemplate> engineTemplate;

    JenkinsfileAgents(
            MesosClouds clouds,
            Supplier<List<MesosCloud>> configured,
            Function<TemplateSettings, AgentTemplate> engineTemplate) {
        this.clouds = clouds;
        this.configured = configured;
        this.engineTemplate = engineTemplate;
    }

    static JenkinsfileAgents inJenkins() {
        return new JenkinsfileAgents(
                MesosClouds.get(),
                () -> Jenkins.get().clouds.getAll(MesosCloud.class),
                CloudSessions::agentTemplate);
    }

    /** A template added to a cloud for a Jenkinsfile block. */
    record Declaration(String cloudName, TemplateSettings settings) {}

    /**
     * Declares the template of a {@code mesosAgent} block and adds it to its cloud's session.
     *
     * @param cloudName the {@code cloud} argument, or null for the only Mesos cloud
     * @param arguments the block's named arguments
     * @param seed what the template's name starts with (the build, e.g. {@code folder-job-42})
     * @throws IllegalArgumentException saying what is wrong: no such cloud or parent, an invalid
     *     argument, or a rule of the cloud the template breaks (with the rule and the value)
     */
    Declaration declare(String cloudName, Map<String, ?> arguments, String seed) {
        MesosCloud cloud = cloud(cloudName);
        JenkinsfileRules rules = cloud.jenkinsfileRules();
        if (!rules.allowed()) {
            throw new IllegalArgumentException(
                    "Mesos cloud " + cloud.name + ": " + rules.violations(null, Set.of()).get(0));
        }
        CloudTemplates resolved = cloud.resolvedTemplates();
        TemplateSettings parent = null;
        Object inheritFrom = arguments.get(JenkinsfileTemplate.INHERIT_FROM);
        if (inheritFrom != null && !inheritFrom.toString().isBlank()) {
            String parentName = inheritFrom.toString().trim();
            if (!resolved.names().contains(parentName)) {
                throw new IllegalArgumentException(
                        "inheritFrom: Mesos cloud "
                                + cloud.name
                                + " has no template named '"
                                + parentName
                                + "'; its templates: "
                                + resolved.names());
            }
            if (!resolved.isValid(parentName)) {
                throw new IllegalArgumentException(
                        "inheritFrom: template '"
                                + parentName
                                + "' of Mesos cloud "
                                + cloud.name
                                + " is invalid: "
                                + resolved.problems(parentName));
            }
            parent = resolved.effective(parentName);
        }
        String name = uniqueName(cloud.name, seed);
        TemplateSettings settings;
        AgentTemplate agent;
        try {
            settings = JenkinsfileTemplate.settings(name, name, arguments, parent);
        } catch (InvalidTemplateException e) {
            throw new IllegalArgumentException(problems(e), e);
        }
        Set<String> roles = new TreeSet<>();
        resolved.valid().forEach(t -> roles.add(t.role()));
        List<String> violations = rules.violations(settings, roles);
        if (!violations.isEmpty()) {
            throw new IllegalArgumentException(
                    "Mesos cloud "
                            + cloud.name
                            + " refuses this template: "
                            + String.join("; ", violations));
        }
        try {
            agent = engineTemplate.apply(settings);
        } catch (InvalidTemplateException e) {
            throw new IllegalArgumentException(problems(e), e);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        try {
            clouds.addJenkinsfileTemplate(cloud, settings, agent);
        } catch (IllegalStateException e) {
            // e.g. the cloud has no Jenkins URL, so its session cannot start
            throw new IllegalArgumentException(
                    "Mesos cloud " + cloud.name + " cannot run agents: " + e.getMessage(), e);
        }
        return new Declaration(cloud.name, settings);
    }

    /**
     * Adds a declared template again after a Jenkins restart (its block is still running).
     *
     * @throws IllegalArgumentException when its cloud is gone or it cannot be built any more
     */
    void restore(String cloudName, Map<String, ?> template) {
        MesosCloud cloud = cloud(cloudName);
        TemplateSettings settings = JenkinsfileTemplate.fromMap(template);
        AgentTemplate agent;
        try {
            agent = engineTemplate.apply(settings);
        } catch (InvalidTemplateException e) {
            throw new IllegalArgumentException(problems(e), e);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        clouds.addJenkinsfileTemplate(cloud, settings, agent);
    }

    /** The block ended: the template goes, with every agent it launched. */
    void release(String cloudName, String templateName) {
        clouds.removeJenkinsfileTemplate(cloudName, templateName);
    }

    private MesosCloud cloud(String cloudName) {
        List<MesosCloud> all = configured.get();
        if (cloudName == null || cloudName.isBlank()) {
            if (all.size() == 1) {
                return all.get(0);
            }
            throw new IllegalArgumentException(
                    all.isEmpty()
                            ? "no Mesos cloud is configured (Manage Jenkins → Clouds)"
                            : "there are several Mesos clouds "
                                    + all.stream().map(c -> c.name).toList()
                                    + "; name one with cloud: '…'");
        }
        for (MesosCloud cloud : all) {
            if (cloud.name.equals(cloudName.trim())) {
                return cloud;
            }
        }
        throw new IllegalArgumentException(
                "cloud: there is no Mesos cloud named '"
                        + cloudName
                        + "'; Mesos clouds: "
                        + all.stream().map(c -> c.name).toList());
    }

    private String uniqueName(String cloudName, String seed) {
        String base = seed.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        base = base.replaceAll("^-+|-+$", "");
        if (base.length() > 40) {
            base = base.substring(base.length() - 40).replaceAll("^-+", "");
        }
        while (true) {
            StringBuilder name = new StringBuilder("jf-").append(base).append('-');
            for (int i = 0; i < 5; i++) {
                name.append(
                        "bcdfghjklmnpqrstvwxz0123456789"
                                .charAt(ThreadLocalRandom.current().nextInt(30)));
            }
            String candidate = name.toString();
            boolean taken =
                    clouds.jenkinsfileTemplates(cloudName).stream()
                            .anyMatch(t -> t.name().equals(candidate));
            if (!taken) {
                return candidate;
            }
        }
    }

    private static String problems(InvalidTemplateException e) {
        return "invalid mesosAgent arguments: "
                + String.join(
                        "; ",
                        e.problems().stream().map(p -> p.field() + " " + p.message()).toList());
    }
}
