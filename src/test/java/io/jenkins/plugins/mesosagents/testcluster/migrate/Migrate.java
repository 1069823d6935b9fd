package io.jenkins.plugins.mesosagents.testcluster.migrate;

import io.jenkins.plugins.mesosagents.testcluster.casc.CascReader;
import io.jenkins.plugins.mesosagents.testcluster.casc.InvalidCascException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code test-cluster/migrate <config.xml|casc.yaml> [--out FILE]}: converts mesos-plugin's cloud
 * into this plugin's JCasC YAML (stdout, or FILE), checks the result with {@link CascReader} and
 * prints the findings to stderr. Exit 0 converted, 1 converted but the result does not validate, 2
 * unreadable input, 64 usage.
 */
public final class Migrate {
    private static final String USAGE =
            "usage: test-cluster/migrate <config.xml|casc.yaml> [--out FILE]";

    private Migrate() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Path input = null;
        Path output = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--out") && i + 1 < args.length) {
                output = Path.of(args[++i]);
            } else if (args[i].startsWith("-") || input != null) {
                err.println("migrate: unexpected argument '" + args[i] + "'\n" + USAGE);
                return 64;
            } else {
                input = Path.of(args[i]);
            }
        }
        if (input == null) {
            err.println(USAGE);
            return 64;
        }
        MesosPluginMigration.Result result;
        try {
            result =
                    MesosPluginMigration.convert(
                            Files.readString(input, StandardCharsets.UTF_8), input.toString());
        } catch (NoSuchFileException e) {
            err.println("migrate: " + input + ": no such file");
            return 2;
        } catch (IOException e) {
            err.println("migrate: " + input + ": cannot be read: " + e.getMessage());
            return 2;
        } catch (InvalidSourceException e) {
            err.println("migrate: " + e.getMessage());
            return 2;
        }
        result.findings().forEach(f -> err.println("migrate: " + f));
        int code = 0;
        try {
            CascReader.parse(result.yaml(), "converted YAML", Path.of("."), name -> null)
                    .clouds()
                    .forEach(c -> c.agentTemplates());
        } catch (InvalidCascException e) {
            err.println("migrate: the converted YAML needs fixing before use: " + e.getMessage());
            code = 1;
        }
        try {
            if (output == null) {
                out.print(result.yaml());
            } else {
                Files.writeString(output, result.yaml(), StandardCharsets.UTF_8);
                err.println(
                        "migrate: wrote "
                                + output
                                + " ("
                                + result.findings().size()
                                + " findings, listed at its top)");
            }
        } catch (IOException e) {
            err.println("migrate: cannot write " + output + ": " + e.getMessage());
            return 2;
        }
        return code;
    }
}
