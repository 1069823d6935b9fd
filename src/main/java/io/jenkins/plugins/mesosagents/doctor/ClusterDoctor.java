package io.jenkins.plugins.mesosagents.doctor;

import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.OfferFit;
import io.jenkins.plugins.mesosagents.mesos.Encoding;
import io.jenkins.plugins.mesosagents.mesos.FrameworkIdentity;
import io.jenkins.plugins.mesosagents.mesos.MesosCredentials;
import io.jenkins.plugins.mesosagents.mesos.SchedulerConfig;
import io.jenkins.plugins.mesosagents.mesos.SchedulerConnection;
import io.jenkins.plugins.mesosagents.mesos.SchedulerListener;
import io.jenkins.plugins.mesosagents.settings.CloudSettings;

import okhttp3.HttpUrl;

import org.apache.mesos.v1.Protos.Offer;
import org.apache.mesos.v1.Protos.OfferID;
import org.apache.mesos.v1.scheduler.Protos.Event;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Diagnoses a Mesos cluster for a cloud's templates without launching anything: connects exactly as
 * the cloud does (same master detection, credentials, CA), subscribes a short-lived framework of
 * its own name with the templates' roles, declines every offer while it watches, judges each
 * template against the offers seen with the engine's own rules ({@link OfferFit}), then tears its
 * framework down. Backs {@code test-cluster/doctor} and the cloud form's "Diagnose templates".
 */
public final class ClusterDoctor {
    /** Mesos removes the doctor's framework this soon if its TEARDOWN is lost. */
    public static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(10);

    private static final Pattern TLS_FAILURE =
            Pattern.compile(
                    "SSL\\w*Exception|CertPathValidatorException|CertificateException|PKIX");
    private static final Pattern AUTH_FAILURE =
            Pattern.compile(
                    "HTTP 401|HTTP 403|DC/OS login|[Nn]ot authorized|[Uu]nauthenticated"
                            + "|authentication failed");

    private ClusterDoctor() {}

    /**
     * What to examine.
     *
     * @param cloud masters, CA, framework user/role settings (credentials ids are not used)
     * @param templates the engine's templates to judge; may be empty
     * @param credentials resolved by the caller (credentials store, files); null for none
     * @param encoding null: the client's default, which the cloud uses
     * @param frameworkName the doctor's own framework name
     * @param watch how long to wait for the subscription, and then how long to watch offers
     * @param reserveGpuHosts the engine's setting: GPU hosts are kept for GPU templates
     */
    public record Request(
            CloudSettings cloud,
            List<AgentTemplate> templates,
            MesosCredentials credentials,
            Encoding encoding,
            String frameworkName,
            Duration watch,
            boolean reserveGpuHosts) {
        public Request {
            templates = List.copyOf(templates);
        }
    }

    public static DoctorReport examine(Request request) throws InterruptedException {
        FrameworkIdentity.Builder framework =
                request.cloud()
                        .framework(
                                request.frameworkName(),
                                request.templates(),
                                System.getProperty("user.name", "nobody"))
                        .failoverTimeout(FAILOVER_TIMEOUT);
        if (request.credentials() != null) {
            framework.principal(request.credentials().principal());
        }
        FrameworkIdentity identity = framework.build();
        SchedulerConfig config;
        try {
            SchedulerConfig.Builder builder =
                    SchedulerConfig.builder(request.cloud().masters(), identity)
                            .requestTimeout(request.watch().plusSeconds(5));
            if (request.encoding() != null) {
                builder.encoding(request.encoding());
            }
            if (request.credentials() != null) {
                builder.credentials(request.credentials());
            }
            if (!request.cloud().caCertificate().isBlank()) {
                builder.caBundlePem(request.cloud().caCertificate());
            }
            config = builder.build();
        } catch (IllegalArgumentException e) {
            return failed(request, identity, DoctorReport.Outcome.UNREACHABLE, e.getMessage());
        }
        Watcher watcher = new Watcher(request.watch());
        SchedulerConnection connection = SchedulerConnection.start(config, watcher);
        watcher.connection.complete(connection);
        try {
            watcher.settled.await(request.watch().toMillis(), TimeUnit.MILLISECONDS);
            if (watcher.master == null) {
                DoctorReport.Outcome kind = watcher.failureKind;
                String why = watcher.lastFailure;
                return failed(
                        request,
                        identity,
                        kind == null ? DoctorReport.Outcome.UNREACHABLE : kind,
                        "not subscribed within "
                                + request.watch().toSeconds()
                                + " s to "
                                + request.cloud().masterUrls()
                                + ": "
                                + (why == null
                                        ? "no answer yet (a slow master needs more time)"
                                        : why));
            }
            Instant start = Instant.now();
            long deadline = System.nanoTime() + request.watch().toNanos();
            while (System.nanoTime() < deadline && !allFit(request, watcher)) {
                Thread.sleep(100);
            }
            Duration watched = Duration.between(start, Instant.now());
            String teardown = teardown(connection);
            return report(request, identity, watcher, watched, teardown);
        } finally {
            connection.close();
        }
    }

    private static boolean allFit(Request request, Watcher watcher) {
        if (request.templates().isEmpty() || watcher.offers.isEmpty()) {
            return false;
        }
        return judge(request, watcher).stream().allMatch(OfferFit.Result::fits);
    }

    private static List<OfferFit.Result> judge(Request request, Watcher watcher) {
        List<Offer> offers = new ArrayList<>(watcher.offers.values());
        Instant now = Clock.systemUTC().instant();
        List<OfferFit.Result> results = new ArrayList<>();
        for (AgentTemplate t : request.templates()) {
            results.add(
                    OfferFit.check(t, offers, watcher.homeRegion, request.reserveGpuHosts(), now));
        }
        return results;
    }

    private static DoctorReport report(
            Request request,
            FrameworkIdentity identity,
            Watcher watcher,
            Duration watched,
            String teardown) {
        List<OfferFit.Result> results = judge(request, watcher);
        TreeSet<String> hosts = new TreeSet<>();
        watcher.offers.values().forEach(o -> hosts.add(o.getHostname()));
        DoctorReport.Outcome outcome =
                watcher.offers.isEmpty()
                        ? DoctorReport.Outcome.NO_OFFERS
                        : results.stream().allMatch(OfferFit.Result::fits)
                                ? DoctorReport.Outcome.ALL_FIT
                                : DoctorReport.Outcome.SOME_NEVER_FIT;
        return new DoctorReport(
                outcome,
                identity.name(),
                watcher.master,
                watcher.version,
                watched,
                watcher.offersReceived.get(),
                List.copyOf(hosts),
                outcome == DoctorReport.Outcome.NO_OFFERS ? List.of() : results,
                teardown);
    }

    private static DoctorReport failed(
            Request request, FrameworkIdentity identity, DoctorReport.Outcome outcome, String why) {
        return new DoctorReport(
                outcome, identity.name(), null, "", Duration.ZERO, 0, List.of(), List.of(), why);
    }

    /** TEARDOWN, waited for; a note when it failed (the failover timeout then removes it). */
    private static String teardown(SchedulerConnection connection) throws InterruptedException {
        try {
            connection.teardown().get(10, TimeUnit.SECONDS);
            return "";
        } catch (java.util.concurrent.ExecutionException
                | java.util.concurrent.TimeoutException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return "TEARDOWN failed ("
                    + cause.getMessage()
                    + "); Mesos removes the framework after its "
                    + FAILOVER_TIMEOUT.toSeconds()
                    + " s failover timeout";
        }
    }

    /** Which outcome a connection failure means. */
    static DoctorReport.Outcome classify(String failure) {
        if (failure == null) {
            return DoctorReport.Outcome.UNREACHABLE;
        }
        if (TLS_FAILURE.matcher(failure).find()) {
            return DoctorReport.Outcome.TLS;
        }
        if (AUTH_FAILURE.matcher(failure).find()) {
            return DoctorReport.Outcome.AUTHENTICATION;
        }
        return DoctorReport.Outcome.UNREACHABLE;
    }

    /** Collects what the connection reports; declines every offer at once. */
    private static final class Watcher implements SchedulerListener {
        final CompletableFuture<SchedulerConnection> connection = new CompletableFuture<>();
        final CountDownLatch settled = new CountDownLatch(1);
        final Map<String, Offer> offers = new ConcurrentHashMap<>();
        final AtomicInteger offersReceived = new AtomicInteger();
        private final Duration watch;
        volatile String master;
        volatile String version = "";
        volatile String homeRegion = "";
        volatile String lastFailure;
        volatile DoctorReport.Outcome failureKind;

        Watcher(Duration watch) {
            this.watch = watch;
        }

        @Override
        public void subscribed(String frameworkId, Event.Subscribed subscribed, HttpUrl at) {
            version = subscribed.getMasterInfo().getVersion();
            homeRegion =
                    subscribed.getMasterInfo().getDomain().getFaultDomain().getRegion().getName();
            master = at.toString();
            settled.countDown();
        }

        @Override
        public void event(Event event) {
            if (event.getType() != Event.Type.OFFERS) {
                return;
            }
            List<OfferID> ids = new ArrayList<>();
            for (Offer offer : event.getOffers().getOffersList()) {
                offersReceived.incrementAndGet();
                // the newest offer of an agent is what the agent has free now
                offers.put(offer.getAgentId().getValue(), offer);
                ids.add(offer.getId());
            }
            // the doctor never launches; what it saw is enough, so it is not offered again soon
            connection.thenAccept(
                    c -> c.decline(ids, SchedulerConnection.refuseFor(watch.plusSeconds(5))));
        }

        @Override
        public void disconnected(String reason) {
            failure(reason);
        }

        @Override
        public void error(String message) {
            failure(message);
        }

        @Override
        public void frameworkRemoved(String message) {
            failure(message);
        }

        @Override
        public void failedOver(String message) {
            failure(message);
        }

        private void failure(String message) {
            if (master != null) {
                return;
            }
            lastFailure = message;
            DoctorReport.Outcome kind = classify(message);
            // a worse answer to the same credentials or certificate will not come: stop waiting
            if (failureKind != DoctorReport.Outcome.AUTHENTICATION
                    && failureKind != DoctorReport.Outcome.TLS) {
                failureKind = kind;
            }
            if (kind != DoctorReport.Outcome.UNREACHABLE) {
                settled.countDown();
            }
        }
    }
}
