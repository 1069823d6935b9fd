package io.jenkins.plugins.mesosagents.image.build;

import io.jenkins.plugins.mesosagents.testcluster.registry.LocalRegistry;
import io.jenkins.plugins.mesosagents.testcluster.registry.RequiredTool;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Buildah as this sandbox needs it: its own store under a temp dir, vfs storage, chroot isolation.
 */
final class Buildah {
    private Buildah() {}

    static BuildahBuilder builder(Path store, LocalRegistry registry) throws IOException {
        RequiredTool.require("buildah", "buildah");
        BuildahBuilder.Options options =
                BuildahBuilder.Options.defaults()
                        .withStore(store.resolve("root"), store.resolve("runroot"), "vfs")
                        .withIsolation("chroot")
                        .withTls(
                                registry != null && registry.tls() ? registry.certDir() : null,
                                registry == null || registry.tls());
        return new BuildahBuilder(options, new LocalProcessRunner());
    }

    /** A tiny base image with a shell: Debian's static busybox as /bin/sh, built FROM scratch. */
    static BuildResult busyboxBase(BuildahBuilder builder, Path dir) throws Exception {
        Path busybox = RequiredTool.require("busybox", "busybox-static");
        Path context = dir.resolve("base-context");
        java.nio.file.Files.createDirectories(context);
        java.nio.file.Files.copy(busybox, context.resolve("busybox"));
        java.nio.file.Files.writeString(
                context.resolve("Dockerfile"),
                "FROM scratch\nCOPY busybox /bin/busybox\nCOPY busybox /bin/sh\n");
        return builder.build(
                BuildRequest.builder(context).tag("localhost/test-base:1").build(), line -> {});
    }
}
