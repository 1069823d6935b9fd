package io.jenkins.plugins.mesosagents.marathon;

import java.util.List;

/**
 * What a deploy did. For a real deploy: the deployment id and the app version Marathon assigned.
 * For a dry run: no ids, the rendered definition and the diff against the running app ({@code
 * appExisted} false: it would be created).
 */
public record DeployResult(
        String appId,
        String deploymentId,
        String version,
        AppDefinition definition,
        boolean dryRun,
        boolean appExisted,
        List<String> diff) {

    public DeployResult {
        diff = List.copyOf(diff);
    }

    /** The diff as printable text ("no changes" when nothing differs). */
    public String diffText() {
        return JsonDiff.format(diff);
    }
}
