package io.jenkins.plugins.mesosagents;

import io.jenkins.plugins.mesosagents.ClassReferenceClosure.Provider;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of {@code jenkins-provided-libraries.txt}: a library that Jenkins core ships or that a
 * plugin in {@code Plugin-Dependencies} carries, so the plugin must not bundle it. Knows where the
 * test class path holds the library's jar (Maven repository layout), which makes the closure check
 * exact for it.
 *
 * @param provider {@code core} or {@code plugin:ID:VERSION}
 * @param prefixes package prefixes (ending in {@code /}) or single classes; may be empty
 */
record ProvidedLibrary(
        String provider, String groupId, String artifactId, String version, List<String> prefixes) {
    static final String RESOURCE = "jenkins-provided-libraries.txt";

    static List<ProvidedLibrary> readAll() throws IOException {
        List<ProvidedLibrary> libraries = new ArrayList<>();
        try (InputStream in = ProvidedLibrary.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " missing from the test class path");
            }
            for (String raw : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split("\\s+");
                String[] coordinates = fields[1].split(":");
                if (fields.length < 3 || coordinates.length != 3) {
                    throw new IllegalStateException(RESOURCE + ": malformed line: " + raw);
                }
                List<String> prefixes =
                        fields[2].equals("-")
                                ? List.of()
                                : List.copyOf(Arrays.asList(fields).subList(2, fields.length));
                libraries.add(
                        new ProvidedLibrary(
                                fields[0],
                                coordinates[0],
                                coordinates[1],
                                coordinates[2],
                                prefixes));
            }
        }
        return libraries;
    }

    /** The plugin id for {@code plugin:ID:VERSION}, or null for core. */
    String pluginId() {
        return provider.startsWith("plugin:") ? provider.split(":")[1] : null;
    }

    /** The plugin release for {@code plugin:ID:VERSION}, or null for core. */
    String pluginVersion() {
        return provider.startsWith("plugin:") ? provider.split(":", 3)[2] : null;
    }

    String coordinates() {
        return groupId + ":" + artifactId + ":" + version;
    }

    /** Exactly its jar's classes when the class path has that jar, else its package prefixes. */
    Provider toProvider() throws IOException {
        String name = coordinates() + " (" + provider + ")";
        Optional<Path> jar = jarOnClassPath();
        return jar.isPresent()
                ? Provider.ofJar(name, jar.get())
                : Provider.ofPackages(name, prefixes);
    }

    /** This version's jar on the test class path. */
    Optional<Path> jarOnClassPath() {
        return classPathVersions().stream()
                .filter(v -> v.version.equals(version))
                .map(v -> v.jar)
                .findFirst();
    }

    /** Every version of this groupId:artifactId on the test class path. */
    List<VersionOnClassPath> classPathVersions() {
        Pattern layout =
                Pattern.compile(
                        ".*/"
                                + Pattern.quote(groupId.replace('.', '/') + "/" + artifactId)
                                + "/([^/]+)/"
                                + Pattern.quote(artifactId)
                                + "-\\1\\.jar");
        List<VersionOnClassPath> found = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Matcher matcher = layout.matcher(entry.replace('\\', '/'));
            if (matcher.matches()) {
                found.add(new VersionOnClassPath(matcher.group(1), Paths.get(entry)));
            }
        }
        return found;
    }

    record VersionOnClassPath(String version, Path jar) {}
}
