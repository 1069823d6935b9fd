package io.jenkins.plugins.mesosagents.mesos;

import java.util.Optional;

/**
 * The master's rule for role names, {@code roles::validate} of Mesos 1.11
 * (src/common/roles.cpp:85-140, applied to FrameworkInfo.roles by
 * src/master/validation.cpp:515-521): {@code *}, or one or more {@code /}-separated components
 * (hierarchical roles such as {@code eng/ci}), none of them {@code .}, {@code ..} or {@code *},
 * none starting with {@code -} or containing whitespace or DEL. The engine checks template roles
 * with it too, so a template is refused with the master's own words.
 */
public final class MesosRoles {
    private MesosRoles() {}

    /** The master's error for this role name, empty when the master accepts it. */
    public static Optional<String> problem(String role) {
        if (role.equals("*")) {
            return Optional.empty();
        }
        if (role.startsWith("/")) {
            return Optional.of("Role '" + role + "' cannot start with a slash");
        }
        if (role.endsWith("/")) {
            return Optional.of("Role '" + role + "' cannot end with a slash");
        }
        if (role.contains("//")) {
            return Optional.of("Role '" + role + "' cannot contain two adjacent slashes");
        }
        if (role.isEmpty()) {
            return Optional.of("Role names cannot be the empty string");
        }
        for (String component : role.split("/")) {
            if (component.equals(".") || component.equals("..") || component.equals("*")) {
                return Optional.of(
                        "Role '" + role + "' cannot include '" + component + "' as a component");
            }
            if (component.startsWith("-")) {
                return Optional.of(
                        "Role component '"
                                + component
                                + "' is invalid because it starts with a dash");
            }
            // roles.cpp:80-82: \t \n \v \f \r, space and DEL
            if (component
                    .chars()
                    .anyMatch(c -> (c >= 0x09 && c <= 0x0d) || c == ' ' || c == 0x7f)) {
                return Optional.of(
                        "Role component '"
                                + component
                                + "' is invalid because it contains backspace or whitespace");
            }
        }
        return Optional.empty();
    }
}
