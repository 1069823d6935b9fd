package io.jenkins.plugins.mesosagents.cloud;

import hudson.Extension;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.util.FormValidation;

import io.jenkins.plugins.mesosagents.engine.TemplateProblem;
import io.jenkins.plugins.mesosagents.settings.NumberText;
import io.jenkins.plugins.mesosagents.settings.TemplateSettings;
import io.jenkins.plugins.mesosagents.settings.TemplateText;
import io.jenkins.plugins.mesosagents.settings.WarmPoolSetup;

import jenkins.YesNoMaybe;
import jenkins.model.Jenkins;

import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A template's warm pool as entered on the form ("Keep agents warm"): minimum idle agents,
 * scheduled windows, adaptive sizing and its maximum. Numbers are bound from text, so a
 * non-number is reported rather than read as 0 (see {@link MesosAgentTemplate}).
 */
public class WarmPoolSettings extends AbstractDescribableImpl<WarmPoolSettings> {
    private int minIdle;
    private String windows = "";
    private boolean adaptive;
    private int maxIdle;
    private Map<String, String> notNumbers = new TreeMap<>();

    @DataBoundConstructor
    public WarmPoolSettings() {}

    protected Object readResolve() {
        windows = windows == null ? "" : windows;
        return this;
    }

    /** These fields as plain values, for the one conversion into the cloud's pool. */
    public WarmPoolSetup settings() {
        return WarmPoolSetup.builder()
                .minIdle(minIdle)
                .windows(windows)
                .adaptive(adaptive)
                .maxIdle(maxIdle)
                .build();
    }

    /** Fields whose text was not a number, as template problems. */
    List<TemplateProblem> numberProblems() {
        List<TemplateProblem> problems = new ArrayList<>();
        if (notNumbers != null) {
            notNumbers.forEach((f, m) -> problems.add(new TemplateProblem(f, m)));
        }
        return problems;
    }

    private int number(String field, TemplateText.Parsed<Integer> parsed) {
        if (notNumbers == null) {
            notNumbers = new TreeMap<>();
        }
        notNumbers.remove(field);
        parsed.problems().forEach(p -> notNumbers.put(p.field(), p.message()));
        return parsed.value();
    }

    public int getMinIdle() {
        return minIdle;
    }

    @DataBoundSetter
    public void setMinIdle(String minIdle) {
        this.minIdle = number("warmPool.minIdle", NumberText.integer("warmPool.minIdle", minIdle, 0));
    }

    public String getWindows() {
        return windows;
    }

    @DataBoundSetter
    public void setWindows(String windows) {
        this.windows = windows == null ? "" : windows;
    }

    public boolean isAdaptive() {
        return adaptive;
    }

    @DataBoundSetter
    public void setAdaptive(boolean adaptive) {
        this.adaptive = adaptive;
    }

    public int getMaxIdle() {
        return maxIdle;
    }

    @DataBoundSetter
    public void setMaxIdle(String maxIdle) {
        this.maxIdle = number("warmPool.maxIdle", NumberText.integer("warmPool.maxIdle", maxIdle, 0));
    }

    /** The descriptor: the warm-pool section of a template's form. */
    @Extension(dynamicLoadable = YesNoMaybe.YES)
    @Symbol("mesosWarmPool")
    public static final class DescriptorImpl extends Descriptor<WarmPoolSettings> {
        @Override
        public String getDisplayName() {
            return "Warm pool";
        }

        @POST
        public FormValidation doCheckWindows(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            return check(WarmPoolSetup.builder().windows(value));
        }

        @POST
        public FormValidation doCheckMaxIdle(
                @QueryParameter String value,
                @QueryParameter String minIdle,
                @QueryParameter boolean adaptive) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            TemplateText.Parsed<Integer> max = NumberText.integer("warmPool.maxIdle", value, 0);
            TemplateText.Parsed<Integer> min = NumberText.integer("warmPool.minIdle", minIdle, 0);
            if (!max.problems().isEmpty()) {
                return MesosAgentTemplateDescriptor.problems(max.problems());
            }
            return check(
                    WarmPoolSetup.builder()
                            .maxIdle(max.value())
                            .minIdle(min.problems().isEmpty() ? min.value() : 0)
                            .adaptive(adaptive));
        }

        @POST
        public FormValidation doCheckMinIdle(@QueryParameter String value) {
            Jenkins.get().checkPermission(Jenkins.ADMINISTER);
            TemplateText.Parsed<Integer> min = NumberText.integer("warmPool.minIdle", value, 0);
            if (!min.problems().isEmpty()) {
                return MesosAgentTemplateDescriptor.problems(min.problems());
            }
            return check(WarmPoolSetup.builder().minIdle(min.value()));
        }

        private static FormValidation check(WarmPoolSetup.Builder pool) {
            List<TemplateProblem> problems = new ArrayList<>();
            pool.build().toWarmPool(problems);
            return MesosAgentTemplateDescriptor.problems(problems);
        }
    }
}
