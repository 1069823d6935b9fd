package io.jenkins.plugins.mesosagents.cloud;

import hudson.model.Action;

import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/**
 * Why the Mesos cloud cancelled a queue item, attached to the item just before it is cancelled.
 * Core's {@code Queue.cancel(Item)} takes no cause (jenkins-2.479.3 Queue.java:745-753), but the
 * cancelled item's {@code LeftItem} keeps the item's actions (Queue.java:2321-2323, 2807-2808) for
 * five minutes (Queue.java:220) and exports them as {@code actions} (Actionable.java:98-100), so
 * the reason is in {@code JENKINS_URL/queue/item/ID/api/json}. No icon and no URL: nothing on a
 * page.
 */
@ExportedBean
public final class NeverLaunchCancellation implements Action {
    private final String reason;

    NeverLaunchCancellation(String reason) {
        this.reason = reason;
    }

    @Exported
    public String getReason() {
        return reason;
    }

    @Override
    public String getIconFileName() {
        return null;
    }

    @Override
    public String getDisplayName() {
        return "Cancelled by the Mesos cloud";
    }

    @Override
    public String getUrlName() {
        return null;
    }
}
