package io.jenkins.plugins.mesosagents.testcluster.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Packages {@link DemoAgent} and its nested classes, compiled with the test classes, into an
 * executable jar in memory: the bytes the demo controller serves as {@code jnlpJars/agent.jar}.
 */
final class AgentJar {
    private AgentJar() {}

    static byte[] build() throws IOException {
        Class<?> main = DemoAgent.class;
        String packagePath = main.getPackageName().replace('.', '/');
        Path classDir;
        try {
            classDir =
                    Path.of(main.getProtectionDomain().getCodeSource().getLocation().toURI())
                            .resolve(packagePath);
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the compiled demo agent: " + e.getMessage(), e);
        }
        List<Path> classes;
        try (Stream<Path> files = Files.list(classDir)) {
            classes =
                    files.filter(
                                    p -> {
                                        String f = p.getFileName().toString();
                                        return f.equals("DemoAgent.class")
                                                || f.startsWith("DemoAgent$");
                                    })
                            .sorted()
                            .toList();
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, main.getName());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            for (Path c : classes) {
                jar.putNextEntry(new JarEntry(packagePath + "/" + c.getFileName()));
                try (InputStream in = Files.newInputStream(c)) {
                    in.transferTo(jar);
                }
                jar.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
