package io.jenkins.plugins.mesosagents.settings;

import io.jenkins.plugins.mesosagents.engine.Constraint;
import io.jenkins.plugins.mesosagents.engine.ContainerSpec;
import io.jenkins.plugins.mesosagents.engine.FetchUri;
import io.jenkins.plugins.mesosagents.engine.TemplateProblem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Parses the one-entry-per-line text fields of an agent template form (environment, constraints,
 * fetcher URIs, volumes, port mappings, docker parameters) into engine values. Every problem names
 * the field and the line, so the form and the provisioning log can say exactly what to fix; no
 * text makes a parser throw (fuzzed: TemplateTextFuzzTest). Jenkins-free so that it is tested directly.
 */
public final class TemplateText {
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private TemplateText() {}

    /** A parsed field: its values and the problems found, each naming field and line. */
    public record Parsed<T>(T value, List<TemplateProblem> problems) {}

    public static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        if (text == null) {
            return lines;
        }
        for (String line : text.split("\\R")) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                lines.add(trimmed);
            }
        }
        return lines;
    }

    /** {@code NAME=value} per line. */
    public static Parsed<Map<String, String>> environment(String field, String text) {
        Map<String, String> env = new LinkedHashMap<>();
        List<TemplateProblem> problems = new ArrayList<>();
        for (String line : lines(text)) {
            int eq = line.indexOf('=');
            String name = eq < 0 ? line : line.substring(0, eq).strip();
            if (eq < 0 || !ENV_NAME.matcher(name).matches()) {
                problems.add(
                        new TemplateProblem(
                                field,
                                "'"
                                        + line
                                        + "' is not NAME=value (a name is letters, digits and _,"
                                        + " not starting with a digit)"));
            } else if (name.startsWith("JENKINS_")) {
                problems.add(
                        new TemplateProblem(
                                field,
                                name
                                        + " is set by the plugin for the inbound agent; choose"
                                        + " another name"));
            } else {
                env.put(name, line.substring(eq + 1));
            }
        }
        return new Parsed<>(env, problems);
    }

    /**
     * {@code attribute:OPERATOR[:value]} per line, Marathon style: {@code rack:GROUP_BY}, {@code
     * zone:LIKE:us-.*}.
     */
    public static Parsed<List<Constraint>> constraints(String field, String text) {
        List<Constraint> constraints = new ArrayList<>();
        List<TemplateProblem> problems = new ArrayList<>();
        for (String line : lines(text)) {
            String[] parts = line.split(":", 3);
            if (parts.length < 2 || parts[0].isBlank()) {
                problems.add(
                        new TemplateProblem(
                                field,
                                "'"
                                        + line
                                        + "' is not attribute:OPERATOR[:value] (e.g."
                                        + " hostname:UNIQUE or rack:EQ:r1)"));
                continue;
            }
            Constraint.Operator op;
            try {
                op = Constraint.Operator.valueOf(parts[1].strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add(
                        new TemplateProblem(
                                field,
                                "'"
                                        + line
                                        + "' has unknown operator '"
                                        + parts[1]
                                        + "'; use one of EQ, LIKE, UNLIKE, UNIQUE, CLUSTER,"
                                        + " GROUP_BY"));
                continue;
            }
            String value = parts.length == 3 ? parts[2].strip() : "";
            if ((op == Constraint.Operator.EQ
                            || op == Constraint.Operator.LIKE
                            || op == Constraint.Operator.UNLIKE)
                    && value.isEmpty()) {
                problems.add(
                        new TemplateProblem(
                                field,
                                "'"
                                        + line
                                        + "': "
                                        + op
                                        + " needs a value, e.g. "
                                        + parts[0]
                                        + ":"
                                        + op
                                        + ":something"));
                continue;
            }
            if (op == Constraint.Operator.LIKE || op == Constraint.Operator.UNLIKE) {
                try {
                    Pattern.compile(value);
                } catch (PatternSyntaxException e) {
                    problems.add(
                            new TemplateProblem(
                                    field,
                                    "'"
                                            + line
                                            + "': the regular expression is invalid: "
                                            + e.getDescription()));
                    continue;
                }
            }
            constraints.add(Constraint.of(parts[0].strip(), op, value));
        }
        return new Parsed<>(constraints, problems);
    }

    /** {@code uri [extract] [executable] [cache]} per line. */
    public static Parsed<List<FetchUri>> fetchUris(String field, String text) {
        List<FetchUri> uris = new ArrayList<>();
        List<TemplateProblem> problems = new ArrayList<>();
        for (String line : lines(text)) {
            String[] words = line.split("\\s+");
            boolean extract = false;
            boolean executable = false;
            boolean cache = false;
            boolean ok = true;
            for (int i = 1; i < words.length; i++) {
                switch (words[i].toLowerCase(Locale.ROOT)) {
                    case "extract" -> extract = true;
                    case "executable" -> executable = true;
                    case "cache" -> cache = true;
                    default -> {
                        problems.add(
                                new TemplateProblem(
                                        field,
                                        "'"
                                                + line
                                                + "': unknown flag '"
                                                + words[i]
                                                + "'; flags are extract, executable, cache"));
                        ok = false;
                    }
                }
            }
            if (!words[0].matches("[a-zA-Z][a-zA-Z0-9+.-]*://.+")) {
                problems.add(
                        new TemplateProblem(
                                field,
                                "'"
                                        + words[0]
                                        + "' is not a URI with a scheme (http://, https://,"
                                        + " file://, hdfs://, s3://)"));
                ok = false;
            }
            if (ok) {
                uris.add(new FetchUri(words[0], extract, executable, cache));
            }
        }
        return new Parsed<>(uris, problems);
    }

    /** {@code /container/path:/host/path[:ro|rw]} per line. */
    public static Parsed<List<ContainerSpec.Volume>> volumes(String field, String text) {
        List<ContainerSpec.Volume> volumes = new ArrayList<>();
        List<TemplateProblem> problems = new ArrayList<>();
        for (String line : lines(text)) {
            String[] parts = line.split(":");
            boolean readOnly = parts.length == 3 && parts[2].equalsIgnoreCase("ro");
            boolean modeOk =
                    parts.length == 2
                            || (parts.length == 3
                                    && (parts[2].equalsIgnoreCase("ro")
                                            || parts[2].equalsIgnoreCase("rw")));
            if (!modeOk || !parts[0].startsWith("/") || !parts[1].startsWith("/")) {
                problems.add(
                        new TemplateProblem(
                                field, "'" + line + "' is not /container/path:/host/path[:ro|rw]"));
            } else {
                volumes.add(new ContainerSpec.Volume(parts[0], parts[1], readOnly));
            }
        }
        return new Parsed<>(volumes, problems);
    }

    /**
     * {@code containerPort[:hostPort][/tcp|udp]} per line; a missing or 0 host port takes one from
     * the offer.
     */
    public static Parsed<List<ContainerSpec.PortMapping>> portMappings(String field, String text) {
        List<ContainerSpec.PortMapping> mappings = new ArrayList<>();
        List<TemplateProblem> problems = new ArrayList<>();
        for (String line : lines(text)) {
            String spec = line;
            String protocol = "tcp";
            int slash = spec.indexOf('/');
            if (slash >= 0) {
                protocol = spec.substring(slash + 1).toLowerCase(Locale.ROOT);
                spec = spec.substring(0, slash);
            }
            String[] ports = spec.split(":");
            try {
                if (ports.length == 0) { // the line is only colons
                    throw new NumberFormatException();
                }
                int container = port(ports[0]);
                int host = ports.length > 1 ? Integer.parseInt(ports[1].strip()) : 0;
                if (ports.length > 2
                        || host < 0
                        || host > 65535
                        || !(protocol.equals("tcp") || protocol.equals("udp"))) {
                    throw new NumberFormatException();
                }
                mappings.add(new ContainerSpec.PortMapping(container, host, protocol));
            } catch (NumberFormatException e) {
                problems.add(
                        new TemplateProblem(
                                field,
                                "'"
                                        + line
                                        + "' is not containerPort[:hostPort][/tcp|udp] (ports"
                                        + " 1-65535, host port 0 = any)"));
            }
        }
        return new Parsed<>(mappings, problems);
    }

    /** {@code key=value} per line: raw {@code docker run --key=value} flags. */
    public static Parsed<List<ContainerSpec.Parameter>> dockerParameters(
            String field, String text) {
        List<ContainerSpec.Parameter> parameters = new ArrayList<>();
        List<TemplateProblem> problems = new ArrayList<>();
        for (String line : lines(text)) {
            int eq = line.indexOf('=');
            String key = eq < 0 ? line : line.substring(0, eq).strip();
            if (key.isEmpty() || key.startsWith("-")) {
                problems.add(
                        new TemplateProblem(
                                field,
                                "'"
                                        + line
                                        + "' is not key=value (write 'memory-swap=1g' for"
                                        + " --memory-swap=1g)"));
            } else {
                parameters.add(
                        new ContainerSpec.Parameter(key, eq < 0 ? "" : line.substring(eq + 1)));
            }
        }
        return new Parsed<>(parameters, problems);
    }

    private static int port(String text) {
        int port = Integer.parseInt(text.strip());
        if (port < 1 || port > 65535) {
            throw new NumberFormatException();
        }
        return port;
    }
}
