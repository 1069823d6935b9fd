package io.jenkins.plugins.mesosagents.bench;

import io.jenkins.plugins.mesosagents.image.Digest;
import io.jenkins.plugins.mesosagents.image.ImageReference;
import io.jenkins.plugins.mesosagents.image.ProgressListener;
import io.jenkins.plugins.mesosagents.image.promote.ImagePromoter;
import io.jenkins.plugins.mesosagents.image.promote.PromotionResult;
import io.jenkins.plugins.mesosagents.image.registry.Manifest;
import io.jenkins.plugins.mesosagents.image.registry.MediaTypes;
import io.jenkins.plugins.mesosagents.image.registry.RegistryClient;
import io.jenkins.plugins.mesosagents.image.registry.RegistryCredentials;
import io.jenkins.plugins.mesosagents.testcluster.registry.LocalRegistry;
import io.jenkins.plugins.mesosagents.testcluster.registry.Skopeo;
import io.jenkins.plugins.mesosagents.testcluster.registry.TokenIssuer;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Promotion of a ~50 MB, 5-layer image (gzip layers of random bytes, so nothing compresses or
 * dedupes) between two real docker-registry processes (htpasswd + TLS source, token-auth + TLS
 * target):
 *
 * <ul>
 *   <li>across registries: our {@link ImagePromoter} vs {@code skopeo copy} (target ≥ 1.0×);
 *   <li>inside one registry: retag by cross-repository mount vs pull+push of every blob (target ≥
 *       10×), on the htpasswd registry (which checks a bcrypt hash on every request) and on a
 *       token-auth registry. Two pull+push baselines: {@code skopeo copy}, the tool people use to
 *       copy an image without a daemon, and our own streaming copy with mounts off (nothing on
 *       disk, four blobs at once, HTTP/2), the fastest pull+push we know.
 * </ul>
 *
 * Every invocation writes to a fresh repository, and the target registry's storage is emptied
 * before each iteration, so neither tool finds blobs already there; every skopeo copy gets a fresh
 * home, so its blob-info cache knows no locations to mount from (checked once per trial).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx512m"})
@Warmup(iterations = 5)
@Measurement(iterations = 20)
public class ImagePromotionBenchmark {
    static final int LAYERS = 5;
    static final int LAYER_BYTES = 10 << 20;
    static final int SAME_REGISTRY_WARMUPS = 200;
    static final int SAME_REGISTRY_MEASURED = 20;
    static final int SKOPEO_WARMUPS = 5;

    /**
     * Which registry the same-registry benchmarks use: the htpasswd one (bcrypt per request) or a
     * token-auth one.
     */
    @Param({"htpasswd", "token"})
    public String sameRegistryAuth;

    LocalRegistry source;
    LocalRegistry target;
    LocalRegistry tokenSame;
    RegistryClient sameClient;
    ImageReference sameImage;
    LocalRegistry sameRegistry;
    String sameCreds;
    int skopeoHomes;
    TokenIssuer issuer;
    Path work;
    RegistryClient sourceClient;
    RegistryClient targetClient;
    ImageReference image;
    int counter;

    @Setup(Level.Trial)
    public void startRegistries() throws Exception {
        work = Files.createTempDirectory("promotion-bench-");
        source = LocalRegistry.builder().user("ci", "ci-pw").start();
        issuer = new TokenIssuer(work).user("release", "rel-pw", "pull", "push");
        target = LocalRegistry.builder().tokenAuth(issuer).start();
        sourceClient = client(source, "ci", "ci-pw");
        targetClient = client(target, "release", "rel-pw");
        image = ImageReference.parse(source.hostPort() + "/ci/big:1");
        pushImage(sourceClient, "ci/big", "1");
        if (sameRegistryAuth.equals("token")) {
            tokenSame = LocalRegistry.builder().tokenAuth(issuer).start();
            sameClient = client(tokenSame, "release", "rel-pw");
            pushImage(sameClient, "ci/big", "1");
            sameImage = ImageReference.parse(tokenSame.hostPort() + "/ci/big:1");
            sameRegistry = tokenSame;
            sameCreds = "release:rel-pw";
        } else {
            sameClient = sourceClient;
            sameImage = image;
            sameRegistry = source;
            sameCreds = "ci:ci-pw";
        }
        List<String> requests =
                Skopeo.copyListingRequests(
                        new Skopeo.Image(sameRegistry, sameCreds, "ci/big:1"),
                        new Skopeo.Image(
                                sameRegistry,
                                sameCreds,
                                fresh(sameRegistry, "check").repository() + ":1"),
                        skopeoHome());
        if (requests.stream().anyMatch(request -> request.contains("mount="))) {
            throw new IllegalStateException(
                    "skopeo mounted blobs inside one registry, so it is no pull+push baseline: "
                            + requests);
        }
    }

    /** A home of its own for every skopeo copy: an empty blob-info cache. */
    private Path skopeoHome() {
        return work.resolve("skopeo-home-" + (skopeoHomes++));
    }

    static RegistryClient client(LocalRegistry registry, String user, String password) {
        return RegistryClient.builder(registry.hostPort())
                .httpClient(registry.httpClient().build())
                .credentials(RegistryCredentials.basic(user, password))
                .build();
    }

    static void pushImage(RegistryClient client, String repository, String tag) throws IOException {
        Random random = new Random(42);
        List<String> layers = new ArrayList<>();
        List<String> diffIds = new ArrayList<>();
        for (int i = 0; i < LAYERS; i++) {
            byte[] raw = new byte[LAYER_BYTES];
            random.nextBytes(raw);
            ByteArrayOutputStream gz = new ByteArrayOutputStream(LAYER_BYTES + (1 << 16));
            try (GZIPOutputStream out =
                    new GZIPOutputStream(gz) {
                        {
                            def.setLevel(Deflater.BEST_SPEED);
                        }
                    }) {
                out.write(raw);
            }
            byte[] layer = gz.toByteArray();
            Digest digest = Digest.sha256(layer);
            client.uploadBlob(repository, digest, layer);
            layers.add(
                    "{\"mediaType\":\""
                            + MediaTypes.OCI_LAYER
                            + "\",\"digest\":\""
                            + digest
                            + "\",\"size\":"
                            + layer.length
                            + "}");
            diffIds.add("\"" + Digest.sha256(raw) + "\"");
        }
        byte[] config =
                ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":["
                                + String.join(",", diffIds)
                                + "]}}")
                        .getBytes(StandardCharsets.UTF_8);
        Digest configDigest = Digest.sha256(config);
        client.uploadBlob(repository, configDigest, config);
        String manifest =
                "{\"schemaVersion\":2,\"mediaType\":\""
                        + MediaTypes.OCI_MANIFEST
                        + "\",\"config\":{"
                        + "\"mediaType\":\""
                        + MediaTypes.OCI_CONFIG
                        + "\",\"digest\":\""
                        + configDigest
                        + "\",\"size\":"
                        + config.length
                        + "},\"layers\":["
                        + String.join(",", layers)
                        + "]}";
        client.putManifest(
                repository,
                tag,
                Manifest.of(MediaTypes.OCI_MANIFEST, manifest.getBytes(StandardCharsets.UTF_8)));
    }

    @Setup(Level.Iteration)
    public void emptyTargetRegistry() throws IOException {
        Path storage = target.storageDirectory();
        if (Files.exists(storage)) {
            try (Stream<Path> paths = Files.walk(storage)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    if (!path.equals(storage)) {
                        Files.delete(path);
                    }
                }
            }
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        if (tokenSame != null) {
            tokenSame.close();
        }
        target.close();
        issuer.close();
        source.close();
        try (Stream<Path> paths = Files.walk(work)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private ImageReference fresh(LocalRegistry registry, String prefix) {
        return fresh(registry.hostPort(), prefix);
    }

    private ImageReference fresh(String registry, String prefix) {
        return ImageReference.parse(registry + "/" + prefix + "/r" + (counter++) + ":1");
    }

    @Benchmark
    public PromotionResult acrossRegistriesOurs() throws IOException {
        return new ImagePromoter(ProgressListener.NONE)
                .promote(sourceClient, image, targetClient, fresh(target, "ours"));
    }

    @Benchmark
    public int acrossRegistriesSkopeoCopy() throws Exception {
        ImageReference to = fresh(target, "skopeo");
        Skopeo.copy(
                new Skopeo.Image(source, "ci:ci-pw", "ci/big:1"),
                new Skopeo.Image(target, "release:rel-pw", to.repository() + ":1"),
                skopeoHome());
        return counter;
    }

    // Each benchmark runs in a fresh JVM. A retag makes eight small requests, and its code reaches
    // steady state only after a few hundred retags (JVM CPU per retag: 12.9 ms after 65, 4.7 ms
    // after 465), while a pull+push runs its hot loops enough in its first invocation. Both
    // in-JVM benchmarks warm up with the same number of promotions: the ratio compares steady
    // states.
    @Benchmark
    @Warmup(iterations = SAME_REGISTRY_WARMUPS)
    @Measurement(iterations = SAME_REGISTRY_MEASURED)
    public PromotionResult sameRegistryMount() throws IOException {
        return new ImagePromoter(ProgressListener.NONE)
                .promote(sameClient, sameImage, sameClient, fresh(sameImage.registry(), "mount"));
    }

    @Benchmark
    @Warmup(iterations = SAME_REGISTRY_WARMUPS)
    @Measurement(iterations = SAME_REGISTRY_MEASURED)
    public PromotionResult sameRegistryPullPush() throws IOException {
        return new ImagePromoter(ProgressListener.NONE, 4, false)
                .promote(
                        sameClient, sameImage, sameClient, fresh(sameImage.registry(), "pullpush"));
    }

    // a new process per copy: in the JVM only the token issuer has anything to warm up
    @Benchmark
    @Warmup(iterations = SKOPEO_WARMUPS)
    @Measurement(iterations = SAME_REGISTRY_MEASURED)
    public int sameRegistrySkopeoCopy() throws Exception {
        ImageReference to = fresh(sameRegistry, "skopeo");
        Skopeo.copy(
                new Skopeo.Image(sameRegistry, sameCreds, "ci/big:1"),
                new Skopeo.Image(sameRegistry, sameCreds, to.repository() + ":1"),
                skopeoHome());
        return counter;
    }
}
