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

    DemoOptions withBuilds(int n) {
        return new DemoOptions(n, config, cluster, keep, skipShip, workDir, reportDir);
    }

    static DemoOptions parse(String[] args) {
        DemoOptions o = defaults();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                System.out.println(USAGE);
                System.exit(0);
            }
            boolean needsValue = !a.equals("--keep") && !a.equals("--skip-ship");
            if (needsValue && i + 1 >= args.length) {
                usage("missing value after " + a);
            }
            switch (a) {
                case "--builds" -> {
                    int n = 0;
                    try {
                        n = Integer.parseInt(args[++i]);
                    } catch (NumberFormatException e) {
                        usage("--builds needs a number, got '" + args[i] + "'");
                    }
                    if (n < 2 || n > 40) {
                        usage("--builds must be between 2 and 40 (one of them is the build too big"
                                + " for any host), got " + n);
                    }
                    o = o.withBuilds(n);
                }
                case "--config" -> o = new DemoOptions(o.builds, file(args[++i]), o.cluster, o.keep, o.skipShip, o.workDir, o.reportDir);
                case "--cluster" -> o = new DemoOptions(o.builds, o.config, file(args[++i]), o.keep, o.skipShip, o.workDir, o.reportDir);
                case "--keep" -> o = new DemoOptions(o.builds, o.config, o.cluster, true, o.skipShip, o.workDir, o.reportDir);
                case "--skip-ship" -> o = new DemoOptions(o.builds, o.config, o.cluster, o.keep, true, o.workDir, o.reportDir);
                case "--work-dir" -> o = new DemoOptions(o.builds, o.config, o.cluster, o.keep, o.skipShip, Path.of(args[++i]), o.reportDir);
                case "--report-dir" -> o = new DemoOptions(o.builds, o.config, o.cluster, o.keep, o.skipShip, o.workDir, Path.of(args[++i]));
                default -> usage("unknown argument '" + a + "'");
            }
        }
        return o;
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
