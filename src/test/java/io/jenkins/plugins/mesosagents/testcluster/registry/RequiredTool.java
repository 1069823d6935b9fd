package io.jenkins.plugins.mesosagents.testcluster.registry;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates a host tool a test needs, failing (never skipping) with the Debian package that provides
 * it.
 */
public final class RequiredTool {
    private RequiredTool() {}

    public static Path require(String command, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(
                "This test needs `"
                        + command
                        + "` on PATH: install the Debian package "
                        + debianPackage
                        + " (apt-get install -y "
                        + debianPackage
                        + ")");
    }
}
