package io.jenkins.plugins.mesosagents.testcluster.mesos;

import org.apache.mesos.v1.Protos.FrameworkInfo;
import org.apache.mesos.v1.Protos.FrameworkInfo.Capability.Type;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The master's FrameworkInfo checks (validation.cpp), reported as ERROR events after the 200. */
final class FrameworkValidation {
    private FrameworkValidation() {}

    /** Returns the error message, or null when valid. */
    static String validate(FrameworkInfo info, List<String> suppressedRoles) {
        boolean multiRole =
                info.getCapabilitiesList().stream().anyMatch(c -> c.getType() == Type.MULTI_ROLE);
        if (multiRole && info.hasRole()) {
            return "'FrameworkInfo.role' must not be set when the framework is MULTI_ROLE capable";
        }
        if (!multiRole && info.getRolesCount() > 0) {
            return "'FrameworkInfo.roles' must not be set when the framework is not MULTI_ROLE"
                    + " capable";
        }
        List<String> roles =
                multiRole ? info.getRolesList() : List.of(info.hasRole() ? info.getRole() : "*");
        Set<String> seen = new HashSet<>();
        for (String role : roles) {
            if (!seen.add(role)) {
                return "'FrameworkInfo.roles' contains duplicate items: '" + role + "'";
            }
            String bad = invalidRole(role);
            if (bad != null) {
                return "'FrameworkInfo.roles' contains invalid role: " + bad;
            }
        }
        for (String s : suppressedRoles) {
            if (!roles.contains(s)) {
                return "Suppressed role '" + s + "' is not contained in the list of roles";
            }
        }
        if (info.getFailoverTimeout() < 0 || Double.isNaN(info.getFailoverTimeout())) {
            return "Invalid 'FrameworkInfo.failover_timeout': must be a non-negative number of"
                    + " seconds";
        }
        return null;
    }

    /** common/roles.cpp:85-140 (roles::validate), hierarchical roles included. */
    static String invalidRole(String role) {
        if (role.equals("*")) {
            return null;
        }
        if (role.startsWith("/")) {
            return "Role '" + role + "' cannot start with a slash";
        }
        if (role.endsWith("/")) {
            return "Role '" + role + "' cannot end with a slash";
        }
        if (role.contains("//")) {
            return "Role '" + role + "' cannot contain two adjacent slashes";
        }
        if (role.isEmpty()) {
            return "Role names cannot be the empty string";
        }
        for (String component : role.split("/")) {
            if (component.equals(".") || component.equals("..") || component.equals("*")) {
                return "Role '" + role + "' cannot include '" + component + "' as a component";
            }
            if (component.startsWith("-")) {
                return "Role component '"
                        + component
                        + "' is invalid because it starts with a dash";
            }
            // roles.cpp:80-82: \t \n \v \f \r, space and \x7f
            if (component
                    .chars()
                    .anyMatch(c -> (c >= 0x09 && c <= 0x0d) || c == ' ' || c == 0x7f)) {
                return "Role component '"
                        + component
                        + "' is invalid because it contains backspace or whitespace";
            }
        }
        return null;
    }

    /** Fields a resubscription or UPDATE_FRAMEWORK may not change. */
    static String disallowedUpdate(FrameworkInfo old, FrameworkInfo next) {
        if (!old.getPrincipal().equals(next.getPrincipal())) {
            return "Updating 'FrameworkInfo.principal' is unsupported; attempted to update from '"
                    + old.getPrincipal()
                    + "' to '"
                    + next.getPrincipal()
                    + "'";
        }
        if (!old.getUser().equals(next.getUser())) {
            return "Updating 'FrameworkInfo.user' is unsupported; attempted to update from '"
                    + old.getUser()
                    + "' to '"
                    + next.getUser()
                    + "'";
        }
        return null;
    }
}
