package io.jenkins.plugins.mesosagents.testcluster.demo;

import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.LaunchFailedException;
import io.jenkins.plugins.mesosagents.engine.WaitReason;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A build while the demo controller's queue thread runs it; {@link #report()} freezes it. */
final class BuildRun {
    final DemoBuild build;
    final AgentTemplate template;
    final Instant queued;
    final List<String> output = new ArrayList<>();
    DemoNode node;
    boolean reused;
    Instant started;
    Instant finished;
    String result = "";
    String reason = "";
    LaunchFailedException.Cause failure;

    /** The engine's recent distinct wait reasons for the template when the launch failed. */
    List<WaitReason> recentWaits = List.of();

    BuildRun(DemoBuild build, AgentTemplate template, Instant queued) {
        this.build = build;
        this.template = template;
        this.queued = queued;
    }

    boolean waiting() {
        return node == null && finished == null;
    }

    void fail(String why, Instant at) {
        result = "FAILED";
        reason = why;
        finished = at;
    }

    void finish(int exitCode, Instant at) {
        result = exitCode == 0 ? "SUCCESS" : "FAILED";
        reason = exitCode == 0 ? "" : "exit code " + exitCode;
        finished = at;
    }

    /**
     * Success for an ordinary build; for one that must not get an agent, a launch failure for want
     * of a matching offer, for one of the expected wait reasons.
     */
    boolean asExpected() {
        if (!build.expectsFailure()) {
            return result.equals("SUCCESS");
        }
        // the engine's failure names the last batch's dominant reason; a batch of only, say, an
        // out-of-region offer makes that another reason, so its recent reasons count too
        return failure == LaunchFailedException.Cause.NO_MATCHING_OFFER
                && (build.expectedWaitReasons().stream()
                                .map(WaitReason::description)
                                .anyMatch(reason::contains)
                        || recentWaits.stream().anyMatch(build.expectedWaitReasons()::contains));
    }

    BuildReport report() {
        return new BuildReport(
                build.id(),
                build.label(),
                template == null ? "" : template.name(),
                node == null ? "" : node.name,
                node == null ? "" : node.host,
                template != null && template.singleUse(),
                reused,
                queued,
                node == null ? null : node.launch,
                node == null ? null : node.running,
                node == null ? null : node.online,
                started,
                finished,
                finished == null ? "NOT_DONE" : result,
                recentWaits.isEmpty()
                                || build.expectedWaitReasons().stream()
                                        .map(WaitReason::description)
                                        .anyMatch(reason::contains)
                        ? reason
                        : reason + " (the engine's recent wait reasons: " + recentWaits + ")",
                build.expectsFailure(),
                asExpected(),
                output);
    }
}
