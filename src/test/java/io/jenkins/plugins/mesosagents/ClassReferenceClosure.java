package io.jenkins.plugins.mesosagents;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Follows the constant-pool class references of a plugin's own classes through the jars it bundles,
 * the way the JVM will link them: a referenced class must come from a bundled jar (then its
 * references are followed too), the JDK, or a named provider (Jenkins core, a plugin dependency),
 * or be on the allow-list of references its library guards at run time. Everything else is reported
 * with the classes that refer to it, because it fails as {@code NoClassDefFoundError} the first
 * time that code runs in Jenkins. Class names are internal names ({@code a/b/C}).
 */
final class ClassReferenceClosure implements AutoCloseable {
    private static final Pattern VERSIONED = Pattern.compile("META-INF/versions/(\\d+)/(.+)");

    /** The newest Java release whose multi-release jar entries Jenkins may load (17 and 21). */
    private static final int NEWEST_JAVA = 21;

    private final List<ZipFile> open = new ArrayList<>();
    private final Map<String, List<ClassFile>> bundled = new HashMap<>();
    private final List<Provider> providers;
    private final Map<String, String> allowed;
    private final Map<String, String> reachedFrom = new HashMap<>();

    /**
     * @param bundledJars the jars of the plugin archive
     * @param providers where else classes come from at run time (the JDK is always one)
     * @param allowed internal class names or prefixes ending in {@code /} or {@code $}, each with
     *     the reason its absence is safe
     */
    ClassReferenceClosure(
            Collection<Path> bundledJars, List<Provider> providers, Map<String, String> allowed)
            throws IOException {
        for (Path jar : bundledJars) {
            ZipFile zip = new ZipFile(jar.toFile());
            open.add(zip);
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                String className = className(entry.getName());
                if (className != null) {
                    bundled.computeIfAbsent(className, k -> new ArrayList<>())
                            .add(new ClassFile(jar.getFileName().toString(), zip, entry));
                }
            }
        }
        this.providers = List.copyOf(providers);
        this.allowed = Map.copyOf(allowed);
    }

    /** The classes of the bundled jars (without the multi-release variants' duplicates). */
    Set<String> bundledClasses() {
        return new TreeSet<>(bundled.keySet());
    }

    /** The jar a bundled class comes from. */
    String jarOf(String className) {
        return bundled.get(className).get(0).jar();
    }

    /**
     * Walks the references from {@code roots} (bundled classes).
     *
     * @return each unresolved class with up to three of the bundled classes that refer to it
     */
    Map<String, Set<String>> unresolvedFrom(Collection<String> roots) throws IOException {
        Map<String, Set<String>> missing = new TreeMap<>();
        reachedFrom.clear();
        Set<String> seen = new HashSet<>(roots);
        Deque<String> queue = new ArrayDeque<>(roots);
        while (!queue.isEmpty()) {
            String current = queue.poll();
            List<ClassFile> files = bundled.get(current);
            if (files == null) {
                missing.computeIfAbsent(current, k -> new TreeSet<>()).add("(a root)");
                continue;
            }
            for (ClassFile file : files) {
                for (String ref : ClassReferences.of(file.read())) {
                    if (bundled.containsKey(ref)) {
                        if (seen.add(ref)) {
                            reachedFrom.put(ref, current);
                            queue.add(ref);
                        }
                    } else if (!resolvesOutside(ref)) {
                        Set<String> from = missing.computeIfAbsent(ref, k -> new TreeSet<>());
                        if (from.size() < 3) {
                            from.add(current + " (" + file.jar() + ")");
                        }
                    }
                }
            }
        }
        return missing;
    }

    /**
     * How the last {@link #unresolvedFrom} walk reached a bundled class: the chain of references
     * from a root, e.g. {@code [our/Cloud, lib/Client, lib/server/Metrics]}.
     */
    List<String> pathTo(String className) {
        List<String> path = new ArrayList<>();
        for (String c = className; c != null; c = reachedFrom.get(c)) {
            path.add(0, c);
        }
        return path;
    }

    /** The provider of a class that is not bundled, or null. */
    String providerOf(String className) {
        if (Jdk.INSTANCE.provides(className)) {
            return "the JDK";
        }
        for (Provider provider : providers) {
            if (provider.provides().test(className)) {
                return provider.name();
            }
        }
        return null;
    }

    private boolean resolvesOutside(String className) {
        if (providerOf(className) != null) {
            return true;
        }
        for (String entry : allowed.keySet()) {
            if (entry.endsWith("/") || entry.endsWith("$")
                    ? className.startsWith(entry)
                    : className.equals(entry)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        for (ZipFile zip : open) {
            zip.close();
        }
    }

    /** The internal class name of a jar entry, or null for anything that is no loadable class. */
    static String className(String entryName) {
        String name = entryName;
        Matcher versioned = VERSIONED.matcher(entryName);
        if (versioned.matches()) {
            if (Integer.parseInt(versioned.group(1)) > NEWEST_JAVA) {
                return null;
            }
            name = versioned.group(2);
        } else if (entryName.startsWith("META-INF/")) {
            return null;
        }
        if (!name.endsWith(".class")
                || name.endsWith("module-info.class")
                || name.endsWith("package-info.class")) {
            return null;
        }
        return name.substring(0, name.length() - ".class".length());
    }

    /** Where classes that are not bundled come from at run time. */
    record Provider(String name, Predicate<String> provides) {
        /** Exactly the classes of a jar. */
        static Provider ofJar(String name, Path jar) throws IOException {
            Set<String> classes = new HashSet<>();
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                    String className = className(entry.getName());
                    if (className != null) {
                        classes.add(className);
                    }
                }
            }
            return new Provider(name, classes::contains);
        }

        /** Every class under the prefixes (a package ending in {@code /}, or one class). */
        static Provider ofPackages(String name, Collection<String> prefixes) {
            List<String> copy = List.copyOf(prefixes);
            return new Provider(
                    name,
                    c ->
                            copy.stream()
                                    .anyMatch(
                                            p ->
                                                    p.endsWith("/")
                                                            ? c.startsWith(p)
                                                            : c.equals(p)
                                                                    || c.startsWith(p + "$")));
        }
    }

    private record ClassFile(String jar, ZipFile zip, ZipEntry entry) {
        byte[] read() throws IOException {
            try (InputStream in = zip.getInputStream(entry)) {
                return in.readAllBytes();
            }
        }
    }

    /** The classes of the running JDK's system modules, read once from the {@code jrt:} image. */
    private enum Jdk {
        INSTANCE;

        private final Set<String> classes = new HashSet<>();

        Jdk() {
            FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
            try (Stream<Path> files = Files.walk(jrt.getPath("/modules"))) {
                files.forEach(
                        f -> {
                            // /modules/<module>/<a/b/C.class>
                            if (f.getNameCount() > 2) {
                                String name = className(f.subpath(2, f.getNameCount()).toString());
                                if (name != null) {
                                    classes.add(name);
                                }
                            }
                        });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        boolean provides(String className) {
            return classes.contains(className);
        }
    }

    /** Reads an allow-list: {@code <class or prefix> <reason>} per line, {@code #} comments. */
    static Map<String, String> readAllowList(List<String> lines) {
        Map<String, String> allowed = new LinkedHashMap<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", 2);
            if (parts.length < 2 || parts[1].isBlank()) {
                throw new IllegalArgumentException("allow-list entry without a reason: " + raw);
            }
            allowed.put(parts[0], parts[1]);
        }
        return allowed;
    }
}
