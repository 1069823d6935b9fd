package io.jenkins.plugins.mesosagents.testcluster.doctor;

import io.jenkins.plugins.mesosagents.dcos.ServiceAccount;
import io.jenkins.plugins.mesosagents.doctor.ClusterDoctor;
import io.jenkins.plugins.mesosagents.doctor.DoctorReport;
import io.jenkins.plugins.mesosagents.engine.AgentTemplate;
import io.jenkins.plugins.mesosagents.engine.EngineConfig;
import io.jenkins.plugins.mesosagents.mesos.Encoding;
import io.jenkins.plugins.mesosagents.mesos.MesosCredentials;
import io.jenkins.plugins.mesosagents.settings.CloudSettings;
import io.jenkins.plugins.mesosagents.testcluster.casc.CascCloud;
import io.jenkins.plugins.mesosagents.testcluster.casc.CascReader;
import io.jenkins.plugins.mesosagents.testcluster.casc.InvalidCascException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code test-cluster/doctor}: runs the plugin's {@link ClusterDoctor} against a real (or the
 * simulated) Mesos cluster from the command line, with templates from the cloud's JCasC YAML, and
 * exits with the report's code (0 all fit, 1 some template fits nothing, 2 unreachable, 3
 * authentication, 4 TLS, 5 no offers; 64 for a usage or configuration error).
 */
public final class Doctor {
    static final int USAGE = 64;
    static final String SYNOPSIS =
            "usage: test-cluster/doctor --master URL|zk://... [--principal P --secret-file F |"
                    + " --dcos-service-account-file F] [--ca-file F] [--encoding protobuf|json]"
                    + " [--templates FILE] [--seconds N]";

    private Doctor() {}

    public static void main(String[] args) throws InterruptedException {
        // the report says why a connection failed; the client's retry log would only repeat it
        java.util.logging.Logger client =
                java.util.logging.Logger.getLogger("io.jenkins.plugins.mesosagents");
        client.setLevel(java.util.logging.Level.SEVERE);
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the doctor; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        ClusterDoctor.Request request;
        try {
            request = request(args);
        } catch (UsageException | InvalidCascException e) {
            err.println("doctor: " + e.getMessage());
            err.println(SYNOPSIS);
            return USAGE;
        } catch (HelpRequested e) {
            out.println(SYNOPSIS);
            return 0;
        }
        out.println(
                "doctor: watching "
                        + request.cloud().masterUrls()
                        + " for "
                        + request.watch().toSeconds()
                        + " s ("
                        + request.encoding().name().toLowerCase(Locale.ROOT)
                        + ", "
                        + request.templates().size()
                        + (request.templates().size() == 1 ? " template" : " templates")
                        + "); nothing is launched");
        DoctorReport report = ClusterDoctor.examine(request);
        out.println(report.render());
        if (report.outcome() == DoctorReport.Outcome.UNREACHABLE
                && report.detail().contains("HTTP 415")
                && request.encoding() == Encoding.PROTOBUF) {
            out.println("hint: the master does not take protobuf here; try --encoding json");
        }
        return report.outcome().exitCode();
    }

    private static ClusterDoctor.Request request(String[] args)
            throws UsageException, HelpRequested {
        String master = null;
        String principal = null;
        Path secretFile = null;
        Path serviceAccountFile = null;
        Path caFile = null;
        Encoding encoding = Encoding.PROTOBUF;
        Path templates = null;
        int seconds = 10;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                throw new HelpRequested();
            }
            if (i + 1 >= args.length) {
                throw new UsageException(
                        a.startsWith("--")
                                ? "missing value after " + a
                                : "unknown argument '" + a + "'");
            }
            String value = args[++i];
            switch (a) {
                case "--master" -> master = value;
                case "--principal" -> principal = value;
                case "--secret-file" -> secretFile = Path.of(value);
                case "--dcos-service-account-file" -> serviceAccountFile = Path.of(value);
                case "--ca-file" -> caFile = Path.of(value);
                case "--templates" -> templates = Path.of(value);
                case "--encoding" ->
                        encoding =
                                switch (value.toLowerCase(Locale.ROOT)) {
                                    case "protobuf" -> Encoding.PROTOBUF;
                                    case "json" -> Encoding.JSON;
                                    default ->
                                            throw new UsageException(
                                                    "--encoding is protobuf or json, not '"
                                                            + value
                                                            + "'");
                                };
                case "--seconds" -> {
                    try {
                        seconds = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        seconds = -1;
                    }
                    if (seconds < 1) {
                        throw new UsageException(
                                "--seconds needs a whole number of seconds >= 1, got '"
                                        + value
                                        + "'");
                    }
                }
                default -> throw new UsageException("unknown argument '" + a + "'");
            }
        }
        if ((principal == null) != (secretFile == null)) {
            throw new UsageException("--principal and --secret-file go together");
        }
        if (principal != null && serviceAccountFile != null) {
            throw new UsageException(
                    "use either --principal/--secret-file or --dcos-service-account-file");
        }
        CascCloud cloud = templates == null ? null : readCloud(templates);
        CloudSettings.Builder settings =
                cloud == null ? CloudSettings.builder("doctor") : cloud.settings().toBuilder();
        if (master != null) {
            settings.masterUrls(master);
        }
        if (caFile != null) {
            settings.caCertificate(read(caFile, "--ca-file"));
        }
        CloudSettings effective = settings.build();
        if (effective.masterUrls().isBlank()) {
            throw new UsageException(
                    "--master is required"
                            + (templates == null ? "" : " (" + templates + " sets no masterUrls)"));
        }
        MesosCredentials credentials;
        try {
            if (principal != null) {
                credentials =
                        new MesosCredentials.Basic(principal, read(secretFile, "--secret-file"));
            } else if (serviceAccountFile != null) {
                credentials =
                        MesosCredentials.DcosServiceAccount.of(
                                ServiceAccount.fromJson(
                                        read(serviceAccountFile, "--dcos-service-account-file")));
            } else {
                credentials = cloud == null ? null : cloud.mesosCredentials();
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        List<AgentTemplate> agentTemplates = cloud == null ? List.of() : cloud.agentTemplates();
        return new ClusterDoctor.Request(
                effective,
                agentTemplates,
                credentials,
                encoding,
                effective.frameworkName() + "-doctor",
                Duration.ofSeconds(seconds),
                EngineConfig.builder("doctor", "http://doctor/").build().reserveGpuHosts());
    }

    private static CascCloud readCloud(Path file) throws UsageException {
        try {
            return CascReader.read(file).cloud();
        } catch (IOException e) {
            throw new UsageException("cannot read --templates " + file + ": " + e);
        }
    }

    private static String read(Path file, String option) throws UsageException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UsageException("cannot read " + option + " " + file + ": " + e);
        }
    }

    /** A wrong command line or unreadable input, said in one line. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    private static final class HelpRequested extends Exception {}
}
