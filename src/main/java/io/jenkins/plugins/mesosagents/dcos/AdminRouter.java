package io.jenkins.plugins.mesosagents.dcos;

import java.util.Locale;

/**
 * What DC/OS Admin Router requires of an account that reaches Mesos through it, in words a user can
 * act on. Admin Router guards {@code /mesos/} with the permission {@code
 * dcos:adminrouter:ops:mesos} (action {@code full}; "Controls access to the Mesos master UI and
 * API", https://docs.mesosphere.com/1.9/security/perms-reference/) and refuses without it with 403
 * and an HTML page titled "Access Denied" that names no permission (dcos/dcos
 * packages/adminrouter/extra/src/lib/auth/common.lua:41-46, errorpages/403.html).
 */
public final class AdminRouter {
    /** The permission Admin Router checks for {@code /mesos/}. */
    public static final String MESOS_PERMISSION = "dcos:adminrouter:ops:mesos";

    private AdminRouter() {}

    /** Whether a 403 body is Admin Router's own refusal page rather than a master's answer. */
    public static boolean isAccessDeniedPage(String body) {
        return body != null
                && body.toLowerCase(Locale.ROOT).contains("<title>access denied</title>");
    }

    /**
     * The 403 explained: which permission the service account {@code uid} lacks and how to grant
     * it; {@code uid} null when the request carried no DC/OS service account.
     */
    public static String missingMesosPermission(String uid) {
        String who = uid == null ? "the account used" : "service account '" + uid + "'";
        return "DC/OS Admin Router refused "
                + who
                + " access to Mesos (HTTP 403 Access Denied): it lacks the permission "
                + MESOS_PERMISSION
                + " (action full), which Admin Router requires for /mesos/. Grant it, e.g. dcos"
                + " security org users grant "
                + (uid == null ? "<uid>" : uid)
                + " "
                + MESOS_PERMISSION
                + " full (or in the DC/OS UI: Organization → Service Accounts → "
                + (uid == null ? "<uid>" : uid)
                + " → Permissions → Add Permission), then retry";
    }
}
