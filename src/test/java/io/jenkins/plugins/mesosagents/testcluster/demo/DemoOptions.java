package io.jenkins.plugins.mesosagents.testcluster.demo;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code test-cluster/demo [--builds N] [--config FILE] [--cluster FILE] [--keep] [--skip-ship]
 * [--work-dir DIR] [--report-dir DIR]}.
 */
record DemoOptions(
        int builds,
        Path config,
        Path cluster,
        boolean keep,
        boolean skipShip,
        Path workDir,
        Path reportDir) {

    static final String USAGE =
            "usage: test-cluster/demo [--builds N] [--config demo.yaml] [--cluster cluster.json]"
                    + " [--keep] [--skip-ship] [--work-dir DIR] [--report-dir DIR]";

    static DemoOptions defaults() {
        return new DemoOptions(
                6,
                Path.of("test-cluster/demo.yaml"),
                Path.of("test-cluster/cluster.json"),
                false,
                false,
                Path.of("target/demo/work"),
                Path.of("target/demo"));
    }

    /** Later options win, so a script may put defaults first and the user's options after. */
    static DemoOptions parse(String[] args) {
        DemoOptions d = defaults();
        int builds = d.builds;
        Path config = d.config;
        Path cluster = d.cluster;
        boolean keep = false;
        boolean skipShip = false;
        Path workDir = d.workDir;
        Path reportDir = d.reportDir;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                System.out.println(USAGE);
                System.exit(0);
            }
            boolean needsValue =
                    java.util.Set.of(
                                    "--builds",
                                    "--config",
                                    "--cluster",
                                    "--work-dir",
                                    "--report-dir")
                            .contains(a);
            if (needsValue && i + 1 >= args.length) {
                usage("missing value after " + a);
            }
            switch (a) {
                case "--builds" -> builds = builds(args[++i]);
                case "--config" -> config = file(args[++i]);
                case "--cluster" -> cluster = file(args[++i]);
                case "--keep" -> keep = true;
                case "--skip-ship" -> skipShip = true;
                case "--work-dir" -> workDir = Path.of(args[++i]);
                case "--report-dir" -> reportDir = Path.of(args[++i]);
                default -> usage("unknown argument '" + a + "'");
            }
        }
        return new DemoOptions(builds, config, cluster, keep, skipShip, workDir, reportDir);
    }

    private static int builds(String value) {
        int n = 0;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            usage("--builds needs a number, got '" + value + "'");
        }
        if (n < 2 || n > 40) {
            usage(
                    "--builds must be between 2 and 40 (one of them is the build too big for any"
                            + " host), got "
                            + n);
        }
        return n;
    }

    private static Path file(String name) {
        Path p = Path.of(name);
        if (!Files.isRegularFile(p)) {
            usage("file " + name + " does not exist");
        }
        return p;
    }

    private static void usage(String problem) {
        System.err.println("test-cluster/demo: " + problem);
        System.err.println(USAGE);
        System.exit(64);
    }
}
