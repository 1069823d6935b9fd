package io.jenkins.plugins.mesosagents.testcluster.demo;

import io.jenkins.plugins.mesosagents.image.ImageReference;
import io.jenkins.plugins.mesosagents.image.auth.RegistryAuthFile;
import io.jenkins.plugins.mesosagents.image.build.BuildRequest;
import io.jenkins.plugins.mesosagents.image.build.BuildResult;
import io.jenkins.plugins.mesosagents.image.build.BuildahBuilder;
import io.jenkins.plugins.mesosagents.image.build.LocalProcessRunner;
import io.jenkins.plugins.mesosagents.image.promote.ImagePromoter;
import io.jenkins.plugins.mesosagents.image.promote.PromotionResult;
import io.jenkins.plugins.mesosagents.image.registry.RegistryClient;
import io.jenkins.plugins.mesosagents.image.registry.RegistryCredentials;
import io.jenkins.plugins.mesosagents.marathon.DeployFailedException;
import io.jenkins.plugins.mesosagents.marathon.DeployRequest;
import io.jenkins.plugins.mesosagents.marathon.DeployResult;
import io.jenkins.plugins.mesosagents.marathon.MarathonAuth;
import io.jenkins.plugins.mesosagents.marathon.MarathonClient;
import io.jenkins.plugins.mesosagents.marathon.MarathonDeployer;
import io.jenkins.plugins.mesosagents.marathon.Sleeper;
import io.jenkins.plugins.mesosagents.testcluster.marathon.HealthMode;
import io.jenkins.plugins.mesosagents.testcluster.marathon.MarathonSimulator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a Jenkinsfile's ship stage does with the plugin's steps, through the same Jenkins-free code
 * the steps call: build an image with buildah (its base made locally from Debian's static busybox,
 * as the image tests do), push it to the test-cluster's registry with the demo credentials, promote
 * it to a release repository (digest unchanged), deploy it to Marathon and wait until healthy, then
 * deploy a version whose health checks fail and see the deploy roll back.
 */
final class ShipStage {
    private final Path workDir;
    private final String registry;
    private final String user;
    private final String password;
    private final MarathonSimulator marathon;
    private final Progress progress;
    private final List<ShipStep> steps = new ArrayList<>();

    ShipStage(
            Path workDir,
            String registry,
            String user,
            String password,
            MarathonSimulator marathon,
            Progress progress) {
        this.workDir = workDir;
        this.registry = registry;
        this.user = user;
        this.password = password;
        this.marathon = marathon;
        this.progress = progress;
    }

    /** What this machine lacks to run the stage (empty when nothing), in words naming the fix. */
    static List<String> missing() {
        List<String> missing = new ArrayList<>();
        if (!"0".equals(uid())) {
            missing.add("root (buildah runs with vfs storage and chroot isolation here)");
        }
        for (String[] tool :
                new String[][] {
                    {"buildah", "buildah"},
                    {"busybox", "busybox-static"},
                    {"docker-registry", "docker-registry"},
                    {"htpasswd", "apache2-utils"}
                }) {
            if (!onPath(tool[0])) {
                missing.add("`" + tool[0] + "` (apt-get install -y " + tool[1] + ")");
            }
        }
        return missing;
    }

    List<ShipStep> steps() {
        return List.copyOf(steps);
    }

    /** Runs every step; a step that fails unexpectedly ends the stage with its reason. */
    void run() throws Exception {
        BuildahBuilder buildah =
                new BuildahBuilder(
                        BuildahBuilder.Options.defaults()
                                .withStore(
                                        workDir.resolve("buildah/root"),
                                        workDir.resolve("buildah/runroot"),
                                        "vfs")
                                .withIsolation("chroot")
                                .withTls(null, false),
                        new LocalProcessRunner());
        String app = registry + "/demo/app:1";
        String release = registry + "/release/app:1";
        String broken = registry + "/release/app:2";

        long t0 = System.nanoTime();
        Path base = Files.createDirectories(workDir.resolve("base"));
        Files.copy(
                Path.of(which("busybox")),
                base.resolve("busybox"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(
                base.resolve("Dockerfile"),
                "FROM scratch\nCOPY busybox /bin/busybox\nCOPY busybox /bin/sh\n");
        buildah.build(BuildRequest.builder(base).tag("localhost/demo-base:1").build(), line -> {});
        Path context = Files.createDirectories(workDir.resolve("app"));
        Files.writeString(context.resolve("index.html"), "hello from the mesos-agents demo\n");
        Files.writeString(
                context.resolve("Dockerfile"),
                "FROM localhost/demo-base:1\nCOPY index.html /www/index.html\n"
                        + "RUN echo built-by-demo > /www/build.txt\n"
                        + "CMD [\"busybox\", \"httpd\", \"-f\", \"-h\", \"/www\"]\n");
        BuildResult built =
                buildah.build(BuildRequest.builder(context).tag(app).build(), line -> {});
        step("buildImage", t0, "", "", "built " + app + " (image " + built.imageId() + ")", true);

        t0 = System.nanoTime();
        String digest;
        try (RegistryAuthFile auth =
                RegistryAuthFile.write(
                        Files.createDirectories(workDir.resolve("auth")),
                        Map.of(registry, RegistryCredentials.basic(user, password)))) {
            digest =
                    buildah.pushAll(app, built.tags(), auth.file(), line -> {})
                            .get(0)
                            .digest()
                            .toString();
        }
        step("pushImage", t0, digest, "", "pushed " + app + " as " + user, true);

        t0 = System.nanoTime();
        RegistryClient client =
                RegistryClient.builder(registry)
                        .plainHttp(true)
                        .credentials(RegistryCredentials.basic(user, password))
                        .build();
        ImagePromoter promoter = new ImagePromoter(line -> {});
        PromotionResult promoted =
                promoter.promote(
                        client, ImageReference.parse(app), client, ImageReference.parse(release));
        boolean same = promoted.digest().toString().equals(digest);
        step(
                "promoteImage",
                t0,
                promoted.digest().toString(),
                "",
                "promoted to "
                        + release
                        + " ("
                        + promoted.blobsMounted()
                        + " blobs mounted), digest "
                        + (same ? "unchanged" : "CHANGED from " + digest),
                same);
        promoter.promote(client, ImageReference.parse(app), client, ImageReference.parse(broken));

        MarathonDeployer deployer =
                new MarathonDeployer(
                        MarathonClient.create(marathon.url(), MarathonAuth.none()),
                        Clock.systemUTC(),
                        Sleeper.SYSTEM,
                        line -> {});
        t0 = System.nanoTime();
        DeployResult healthy = deployer.deploy(request(release + "@" + digest));
        step(
                "marathonDeploy",
                t0,
                digest,
                healthy.deploymentId(),
                "/demo/web version " + healthy.version() + " healthy",
                true);

        // the simulated Marathon runs no containers: it is told that this image's checks fail
        marathon.healthOfImage(broken, HealthMode.FAIL);
        t0 = System.nanoTime();
        try {
            DeployResult unexpected = deployer.deploy(request(broken));
            step(
                    "marathonDeploy (failing health check)",
                    t0,
                    digest,
                    unexpected.deploymentId(),
                    "the broken version was reported healthy: no rollback happened",
                    false);
        } catch (DeployFailedException e) {
            boolean rolledBack = e.rollbackDeploymentId() != null;
            step(
                    "marathonDeploy (failing health check)",
                    t0,
                    digest,
                    e.deploymentId()
                            + (rolledBack ? " → rollback " + e.rollbackDeploymentId() : ""),
                    e.reason() + ": " + firstLine(e.getMessage()),
                    rolledBack && e.reason() == DeployFailedException.Reason.TASK_FAILURES);
        }
    }

    private static DeployRequest request(String image) {
        String json =
                "{\"id\": \"/demo/web\", \"instances\": 2, \"cpus\": 0.1, \"mem\": 64,"
                        + " \"container\": {\"type\": \"DOCKER\", \"docker\": {\"image\": \""
                        + image
                        + "\"}},"
                        + " \"healthChecks\": [{\"protocol\": \"HTTP\", \"path\": \"/\","
                        + " \"maxConsecutiveFailures\": 2}]}";
        return DeployRequest.fromJson(json, "marathon.json")
                .timeout(Duration.ofSeconds(40))
                // the default settle time follows Marathon's default health-check timing (minutes);
                // the simulated Marathon checks at once, so a short watch after the rollout is enough
                .settleTime(Duration.ofSeconds(2))
                .rollbackTimeout(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .maxTaskFailures(2)
                .build();
    }

    private void step(
            String name,
            long startNanos,
            String digest,
            String deployment,
            String detail,
            boolean ok) {
        long millis = (System.nanoTime() - startNanos) / 1_000_000;
        steps.add(new ShipStep(name, millis, digest, deployment, detail, ok));
        progress.line("ship: " + name + " " + (ok ? "ok" : "NOT AS EXPECTED") + " - " + detail);
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
    }

    private static String uid() {
        try {
            Process p = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
            return new String(p.getInputStream().readAllBytes()).trim();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static boolean onPath(String command) {
        return which(command) != null;
    }

    private static String which(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
