package io.jenkins.plugins.mesosagents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import hudson.Extension;

import jenkins.YesNoMaybe;

import net.java.sezpoz.Index;
import net.java.sezpoz.IndexItem;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.jenkinsci.Symbol;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

import javax.xml.parsers.DocumentBuilderFactory;

/**
 * Opens the built {@code target/mesos-agents.hpi} the way Jenkins will: the plugin manifest, the
 * inner jar and its own manifest (JEP-200 needs it), the SezPoz extension index resolved against
 * the inner jar's classes, the Symbol index, well-formed Jelly, and no class of the Jenkins
 * stand-in (Jenkins provides those) or of libraries Jenkins already ships; that everything our
 * classes reach resolves in Jenkins (the class-reference closure, and the zk:// detection run on
 * the .hpi's jars alone), and that the libraries Jenkins core or an API plugin provides are neither
 * bundled nor missing from Plugin-Dependencies.
 */
class HpiPackagingIT {
    private static final String INNER_JAR = "WEB-INF/lib/mesos-agents.jar";
    private static final String OUR_PACKAGE = "io/jenkins/plugins/mesosagents/";

    /**
     * Packages that must never be bundled: Jenkins core and the plugins we depend on provide them.
     */
    private static final List<String> PROVIDED_PREFIXES =
            List.of(
                    "hudson/",
                    "jenkins/",
                    "org/kohsuke/",
                    "org/jenkinsci/plugins/workflow/",
                    "org/jenkinsci/Symbol",
                    "com/cloudbees/",
                    "net/java/sezpoz/",
                    "com/google/common/",
                    "org/slf4j/",
                    "javax/servlet/",
                    "jakarta/servlet/",
                    "org/springframework/");

    @TempDir static Path unpacked;

    private static Path hpi;
    private static Manifest hpiManifest;
    private static List<Path> libJars;

    @BeforeAll
    static void unpack() throws IOException {
        hpi = Paths.get(System.getProperty("hpi.file", "target/mesos-agents.hpi"));
        assertThat(hpi).as("run `mvn verify`: the .hpi is built in the package phase").exists();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(hpi))) {
            ZipEntry first = zip.getNextEntry();
            if (first != null && first.getName().equals("META-INF/")) {
                first = zip.getNextEntry();
            }
            assertThat(first).as("first entry of the .hpi").isNotNull();
            assertThat(first.getName())
                    .as("the manifest must come first, as jar tools write it")
                    .isEqualTo("META-INF/MANIFEST.MF");
        }
        try (JarFile jar = new JarFile(hpi.toFile())) {
            hpiManifest = jar.getManifest();
            assertThat(hpiManifest).as("META-INF/MANIFEST.MF of the .hpi").isNotNull();
            libJars = new ArrayList<>();
            for (JarEntryView entry : entries(jar)) {
                if (entry.name.startsWith("WEB-INF/lib/") && entry.name.endsWith(".jar")) {
                    Path out = unpacked.resolve(entry.name.substring("WEB-INF/lib/".length()));
                    try (InputStream in = jar.getInputStream(jar.getEntry(entry.name))) {
                        Files.copy(in, out);
                    }
                    libJars.add(out);
                }
            }
        }
    }

    @Test
    void pluginManifestHasTheEntriesJenkinsReads() {
        Attributes main = hpiManifest.getMainAttributes();
        assertThat(main.getValue("Manifest-Version")).isEqualTo("1.0");
        assertThat(main.getValue("Short-Name")).isEqualTo("mesos-agents");
        assertThat(main.getValue("Artifact-Id")).isEqualTo("mesos-agents");
        assertThat(main.getValue("Group-Id")).isEqualTo("io.jenkins.plugins");
        assertThat(main.getValue("Long-Name")).isEqualTo("Mesos Agents");
        assertThat(main.getValue("Url")).startsWith("https://");
        assertThat(main.getValue("Plugin-Version")).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        assertThat(main.getValue("Jenkins-Version")).isEqualTo("2.479.3");
        assertThat(main.getValue("Hudson-Version")).isEqualTo(main.getValue("Jenkins-Version"));
        assertThat(main.getValue("Support-Dynamic-Loading")).isIn("true", "false");
        assertThat(main.getValue("Plugin-Developers"))
                .matches("[^:,]+:[^:,]*:[^:,]*(,[^:,]+:[^:,]*:[^:,]*)*");
        assertThat(main.getValue("Plugin-License-Name")).isNotBlank();
        assertThat(main.getValue("Plugin-License-Url")).startsWith("https://");
        assertThat(main.getValue("Extension-Name"))
                .as("no longer written by maven-hpi-plugin")
                .isNull();
    }

    @Test
    void pluginDependenciesAreWellFormedMinimumVersions() {
        String deps = hpiManifest.getMainAttributes().getValue("Plugin-Dependencies");
        assertThat(deps).isNotBlank();
        for (String dep : deps.split(",")) {
            assertThat(dep)
                    .as("Plugin-Dependencies entry")
                    .matches("[a-z0-9-]+:[0-9][A-Za-z0-9._-]*(;resolution:=optional)?");
        }
        Set<String> ids =
                Stream.of(deps.split(","))
                        .map(d -> d.substring(0, d.indexOf(':')))
                        .collect(Collectors.toSet());
        assertThat(ids).contains("workflow-step-api", "credentials");
    }

    @Test
    void innerJarCarriesThePluginManifestForTheClassFilter() throws IOException {
        Path inner = lib("mesos-agents.jar");
        try (JarFile jar = new JarFile(inner.toFile())) {
            Attributes innerMain = jar.getManifest().getMainAttributes();
            for (String key :
                    List.of(
                            "Short-Name",
                            "Plugin-Version",
                            "Jenkins-Version",
                            "Plugin-Dependencies",
                            "Long-Name",
                            "Group-Id")) {
                assertThat(innerMain.getValue(key))
                        .as("inner jar manifest " + key)
                        .isEqualTo(hpiManifest.getMainAttributes().getValue(key));
            }
            assertThat(jar.getEntry("index.jelly"))
                    .as("index.jelly (maven-hpi-plugin refuses a plugin without it)")
                    .isNotNull();
            assertThat(jar.getEntry("META-INF/annotations/hudson.Extension"))
                    .as("SezPoz extension index")
                    .isNotNull();
        }
    }

    @Test
    void everyIndexedExtensionLoadsFromTheInnerJarWithAPublicNoArgConstructor() throws Exception {
        Set<String> innerEntries = entryNames(lib("mesos-agents.jar"));
        boolean dynamic =
                Boolean.parseBoolean(
                        hpiManifest.getMainAttributes().getValue("Support-Dynamic-Loading"));
        List<String> problems = new ArrayList<>();
        int count = 0;
        try (PluginClassLoader loader = new PluginClassLoader(libJars)) {
            for (IndexItem<Extension, Object> item :
                    Index.load(Extension.class, Object.class, loader)) {
                count++;
                String className = item.className();
                if (!innerEntries.contains(className.replace('.', '/') + ".class")) {
                    problems.add(className + " is indexed but not in " + INNER_JAR);
                    continue;
                }
                Class<?> type = loader.loadClass(className);
                if (type.getClassLoader() != loader) {
                    problems.add(className + " did not load from the .hpi");
                }
                if (!Modifier.isPublic(type.getModifiers())
                        || Modifier.isAbstract(type.getModifiers())) {
                    problems.add(className + " must be public and concrete");
                }
                Constructor<?> noArg = null;
                try {
                    noArg = type.getConstructor();
                } catch (NoSuchMethodException e) {
                    problems.add(className + " has no public no-arg constructor");
                }
                if (noArg != null && !Modifier.isPublic(noArg.getModifiers())) {
                    problems.add(className + " no-arg constructor is not public");
                }
                if (dynamic && item.annotation().dynamicLoadable() != YesNoMaybe.YES) {
                    problems.add(
                            className
                                    + " is not dynamicLoadable=YES although the manifest says"
                                    + " Support-Dynamic-Loading: true");
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(count).as("extensions in the index").isPositive();
    }

    /**
     * pipeline-model-extensions is an optional dependency: only the declarative agent refers to it,
     * and its extension is {@code optional}, so Jenkins without that plugin skips it quietly
     * (ExtensionFinder.GuiceFinder catches the LinkageError and logs it at FINE for an optional
     * extension, jenkins-2.479.3 core/src/main/java/hudson/ExtensionFinder.java:567-603) and every
     * other extension loads as before.
     */
    @Test
    void withoutPipelineModelExtensionsOnlyTheOptionalDeclarativeAgentFailsToLoad()
            throws Exception {
        assertThat(hpiManifest.getMainAttributes().getValue("Plugin-Dependencies").split(","))
                .contains("pipeline-model-extensions:2.2258.v4e96d2b_da_f9b_;resolution:=optional");
        List<String> failed = new ArrayList<>();
        List<String> optional = new ArrayList<>();
        int loaded = 0;
        try (PluginClassLoader loader =
                new PluginClassLoader(
                        libJars, List.of("org.jenkinsci.plugins.pipeline.modeldefinition."))) {
            for (IndexItem<Extension, Object> item :
                    Index.load(Extension.class, Object.class, loader)) {
                if (item.annotation().optional()) {
                    optional.add(item.className());
                }
                try {
                    loader.loadClass(item.className()).getConstructor();
                    loaded++;
                } catch (ClassNotFoundException | LinkageError e) {
                    failed.add(item.className());
                }
            }
        }
        assertThat(failed)
                .containsExactly(
                        "io.jenkins.plugins.mesosagents.steps.MesosDeclarativeAgent$DescriptorImpl");
        assertThat(optional).containsExactlyElementsOf(failed);
        assertThat(loaded).as("the other extensions").isGreaterThan(10);
    }

    /**
     * The declarative agent's Groovy script is packaged next to its class, where
     * WithScriptDescriptor looks for {@code <agent class>Script.groovy}.
     */
    @Test
    void declarativeAgentScriptIsPackagedNextToItsClass() throws IOException {
        Set<String> inner = entryNames(lib("mesos-agents.jar"));
        assertThat(inner)
                .contains(
                        OUR_PACKAGE + "steps/MesosDeclarativeAgent.class",
                        OUR_PACKAGE + "steps/MesosDeclarativeAgentScript.groovy");
    }

    @Test
    void symbolIndexNamesAnnotatedClassesOfTheInnerJar() throws Exception {
        Path inner = lib("mesos-agents.jar");
        String index;
        try (ZipFile zip = new ZipFile(inner.toFile())) {
            ZipEntry entry = zip.getEntry("META-INF/services/annotations/org.jenkinsci.Symbol");
            assertThat(entry).as("hand-written @Symbol index").isNotNull();
            index = new String(zip.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> names = index.lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
        assertThat(names).isNotEmpty();
        try (PluginClassLoader loader = new PluginClassLoader(libJars)) {
            for (String name : names) {
                Class<?> type = loader.loadClass(name);
                assertThat(type.getClassLoader()).as(name).isSameAs(loader);
                assertThat(type.getAnnotation(Symbol.class))
                        .as(name + " is listed in the Symbol index but has no @Symbol")
                        .isNotNull();
            }
        }
        // and the other way round: every @Symbol class we compiled is listed
        Set<String> compiledSymbols = new TreeSet<>();
        try (PluginClassLoader loader = new PluginClassLoader(libJars)) {
            for (String entry : entryNames(inner)) {
                if (entry.startsWith(OUR_PACKAGE) && entry.endsWith(".class")) {
                    Class<?> type =
                            Class.forName(
                                    entry.substring(0, entry.length() - 6).replace('/', '.'),
                                    false,
                                    loader);
                    if (type.getAnnotation(Symbol.class) != null) {
                        compiledSymbols.add(type.getName());
                    }
                }
            }
        }
        assertThat(names).containsAll(compiledSymbols);
    }

    @Test
    void noJenkinsProvidedClassIsBundled() throws IOException {
        Set<String> standIn = standInPackages();
        assertThat(standIn)
                .as("packages of src/jenkins-api/java")
                .contains("hudson/", "jenkins/model/");
        List<String> leaks = new ArrayList<>();
        List<Path> archives = new ArrayList<>(libJars);
        archives.add(hpi);
        for (Path archive : archives) {
            for (String name : entryNames(archive)) {
                if (!name.endsWith(".class")) {
                    continue;
                }
                for (String prefix : standIn) {
                    if (name.startsWith(prefix) && name.indexOf('/', prefix.length()) < 0) {
                        leaks.add(
                                archive.getFileName()
                                        + "!"
                                        + name
                                        + " (stand-in package "
                                        + prefix
                                        + ")");
                    }
                }
                for (String prefix : PROVIDED_PREFIXES) {
                    if (name.startsWith(prefix)) {
                        leaks.add(
                                archive.getFileName()
                                        + "!"
                                        + name
                                        + " (provided by Jenkins: "
                                        + prefix
                                        + ")");
                    }
                }
            }
        }
        assertThat(leaks).isEmpty();
    }

    /**
     * Every class our code can reach through the bundled jars resolves in Jenkins: to a bundled
     * jar, the JDK, a library Jenkins core 2.479.3 ships or a plugin in Plugin-Dependencies carries
     * ({@code jenkins-provided-libraries.txt}), the Jenkins API (the stand-in's packages), or an
     * allow-listed reference its library guards ({@code hpi-closure-allow-list.txt}). A missing
     * runtime jar fails here instead of as NoClassDefFoundError in Jenkins.
     */
    @Test
    void everyClassOurCodeReachesResolves() throws IOException {
        List<ClassReferenceClosure.Provider> providers = new ArrayList<>();
        Set<String> standIn = standInPackages();
        providers.add(
                new ClassReferenceClosure.Provider(
                        "the Jenkins API (stand-in packages)",
                        c -> standIn.contains(c.substring(0, c.lastIndexOf('/') + 1))));
        Set<String> declaredPlugins = declaredPluginDependencies().keySet();
        for (ProvidedLibrary library : ProvidedLibrary.readAll()) {
            // a plugin's libraries count only if the manifest makes Jenkins install that plugin
            if (library.pluginId() == null || declaredPlugins.contains(library.pluginId())) {
                providers.add(library.toProvider());
            }
        }
        Map<String, String> allowed =
                ClassReferenceClosure.readAllowList(resourceLines("hpi-closure-allow-list.txt"));
        try (ClassReferenceClosure closure =
                new ClassReferenceClosure(libJars, providers, allowed)) {
            List<String> roots =
                    closure.bundledClasses().stream()
                            .filter(c -> c.startsWith(OUR_PACKAGE))
                            .toList();
            assertThat(roots).as("our classes in the .hpi").isNotEmpty();
            Map<String, Set<String>> missing = closure.unresolvedFrom(roots);
            List<String> report = new ArrayList<>();
            missing.forEach(
                    (absent, from) -> {
                        String first = from.iterator().next().split(" ")[0];
                        report.add(
                                absent
                                        + " <- "
                                        + from
                                        + "\n      reached by "
                                        + String.join(" -> ", closure.pathTo(first)));
                    });
            assertThat(report)
                    .as(
                            "classes referenced from the plugin's code (through the bundled jars)"
                                + " that nothing in Jenkins provides: bundle their jar, depend on"
                                + " the plugin that carries them, or allow-list a guarded optional"
                                + " reference with its reason")
                    .isEmpty();
        }
    }

    /**
     * The zk:// master detection, run for real from the .hpi's jars plus only what Jenkins gives
     * the plugin (the listed libraries of core and of the declared plugins; Netty as netty-api's
     * version), in a class loader that sees nothing else of the test class path: no ZooKeeper
     * server libraries (metrics, snappy, servlet), no test-scoped Netty. A missing runtime jar
     * fails here with the NoClassDefFoundError Jenkins would see.
     */
    @Test
    void zooKeeperMasterDetectionRunsOnWhatJenkinsGivesThePlugin() throws Exception {
        Set<String> declaredPlugins = declaredPluginDependencies().keySet();
        List<URL> urls = new ArrayList<>();
        for (Path jar : libJars) {
            urls.add(jar.toUri().toURL());
        }
        for (ProvidedLibrary library : ProvidedLibrary.readAll()) {
            if (library.pluginId() == null || declaredPlugins.contains(library.pluginId())) {
                Optional<Path> jar = library.jarOnClassPath();
                if (jar.isPresent()) {
                    urls.add(jar.get().toUri().toURL());
                }
                if (library.groupId().equals("io.netty")) { // netty-all = every io.netty module
                    for (String entry :
                            System.getProperty("java.class.path").split(File.pathSeparator)) {
                        if (entry.replace('\\', '/').contains("/io/netty/")
                                && entry.endsWith("-" + library.version() + ".jar")) {
                            urls.add(Paths.get(entry).toUri().toURL());
                        }
                    }
                }
            }
        }
        try (TestingServer zookeeper = new TestingServer(true);
                CuratorFramework mesosMaster =
                        CuratorFrameworkFactory.newClient(
                                zookeeper.getConnectString(), new RetryOneTime(100))) {
            mesosMaster.start();
            mesosMaster
                    .create()
                    .creatingParentsIfNeeded()
                    .withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                    .forPath(
                            "/mesos/json.info_",
                            ("{\"address\":{\"hostname\":\"10.0.0.7\",\"ip\":\"10.0.0.7\","
                                            + "\"port\":5050},\"hostname\":\"10.0.0.7\","
                                            + "\"id\":\"m1\",\"ip\":117440522,\"port\":5050,"
                                            + "\"version\":\"1.11.0\"}")
                                    .getBytes(StandardCharsets.UTF_8));
            try (URLClassLoader jenkinsLike =
                    new URLClassLoader(
                            urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
                Class<?> detectors =
                        jenkinsLike.loadClass(
                                "io.jenkins.plugins.mesosagents.mesos.MasterDetector");
                assertThat(detectors.getClassLoader()).isSameAs(jenkinsLike);
                Object detector =
                        detectors
                                .getMethod("fromString", String.class, String.class)
                                .invoke(
                                        null,
                                        "zk://" + zookeeper.getConnectString() + "/mesos",
                                        "http");
                try {
                    Object candidates = List.of();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    while (((List<?>) candidates).isEmpty() && System.nanoTime() < deadline) {
                        Thread.sleep(50);
                        candidates = detectors.getMethod("candidates").invoke(detector);
                    }
                    assertThat(candidates.toString()).isEqualTo("[http://10.0.0.7:5050/]");
                } finally {
                    ((AutoCloseable) detector).close();
                }
            }
        }
    }

    /**
     * Nothing that Jenkins core or a plugin we depend on provides is bundled a second time (two
     * copies of a class in one class loader hierarchy end in LinkageErrors or the wrong version).
     */
    @Test
    void nothingJenkinsOrAnApiPluginProvidesIsBundled() throws IOException {
        List<ProvidedLibrary> libraries = ProvidedLibrary.readAll();
        List<String> leaks = new ArrayList<>();
        for (Path jar : libJars) {
            String name = jar.getFileName().toString();
            for (ProvidedLibrary library : libraries) {
                if (name.matches(Pattern.quote(library.artifactId()) + "-\\d.*\\.jar")) {
                    leaks.add(
                            name
                                    + " is "
                                    + library.coordinates()
                                    + " ("
                                    + library.provider()
                                    + ")");
                }
            }
        }
        List<ClassReferenceClosure.Provider> providers = new ArrayList<>();
        for (ProvidedLibrary library : libraries) {
            providers.add(library.toProvider());
        }
        try (ClassReferenceClosure closure =
                new ClassReferenceClosure(libJars, providers, Map.of())) {
            Map<String, String> byJar = new TreeMap<>();
            for (String className : closure.bundledClasses()) {
                String provider = closure.providerOf(className);
                if (provider != null) {
                    byJar.putIfAbsent(closure.jarOf(className) + " -> " + provider, className);
                }
            }
            byJar.forEach((where, example) -> leaks.add(where + ", e.g. " + example));
        }
        assertThat(leaks).isEmpty();
    }

    /** Each plugin that carries a library we compile against is a dependency, at that release. */
    @Test
    void pluginDependenciesNameThePluginsThatCarryOurLibraries() throws IOException {
        Map<String, String> declared = declaredPluginDependencies();
        Map<String, String> needed = new TreeMap<>();
        for (ProvidedLibrary library : ProvidedLibrary.readAll()) {
            if (library.pluginId() != null) {
                needed.put(library.pluginId(), library.pluginVersion());
            }
        }
        assertThat(needed)
                .as("plugins carrying our libraries")
                .containsKeys("jackson2-api", "okhttp-api");
        assertThat(declared).containsAllEntriesOf(needed);
    }

    /**
     * We compile and test against the library versions Jenkins will give us: every library of the
     * list that is on the test class path has the listed version.
     */
    @Test
    void compiledAgainstTheVersionsJenkinsProvides() throws IOException {
        List<String> mismatches = new ArrayList<>();
        int found = 0;
        for (ProvidedLibrary library : ProvidedLibrary.readAll()) {
            for (ProvidedLibrary.VersionOnClassPath v : library.classPathVersions()) {
                found++;
                if (!v.version().equals(library.version())) {
                    mismatches.add(
                            library.coordinates()
                                    + " ("
                                    + library.provider()
                                    + ") but the class path has "
                                    + v.version());
                }
            }
        }
        assertThat(mismatches).isEmpty();
        assertThat(found)
                .as("listed libraries on the test class path (guava, jackson, okhttp, …)")
                .isGreaterThan(10);
    }

    @Test
    void bundlesOnlyWhatRuns() throws IOException {
        List<String> jarNames = libJars.stream().map(p -> p.getFileName().toString()).toList();
        assertThat(jarNames)
                .as("the full 24 MB Mesos jar must not be bundled")
                .noneMatch(n -> n.matches("mesos-\\d.*\\.jar"));
        Set<String> protos =
                entryNames(
                        lib(
                                jarNames.stream()
                                        .filter(n -> n.startsWith("mesos-v1-protos-"))
                                        .findFirst()
                                        .orElseThrow(
                                                () ->
                                                        new AssertionError(
                                                                "mesos-v1-protos jar missing from"
                                                                        + " WEB-INF/lib: "
                                                                        + jarNames))));
        assertThat(protos)
                .contains(
                        "org/apache/mesos/v1/Protos.class",
                        "org/apache/mesos/v1/scheduler/Protos.class");
        assertThat(protos)
                .noneMatch(
                        n ->
                                n.endsWith(".class")
                                        && !n.startsWith("org/apache/mesos/v1/Protos")
                                        && !n.startsWith("org/apache/mesos/v1/scheduler/Protos"));
        for (Path jar : libJars) {
            assertThat(entryNames(jar))
                    .as(jar.getFileName() + " native libraries")
                    .noneMatch(
                            n ->
                                    n.endsWith(".so")
                                            || n.endsWith(".dll")
                                            || n.endsWith(".jnilib")
                                            || n.endsWith(".dylib"));
        }
    }

    @Test
    void ourClassesTargetJava17() throws IOException {
        try (ZipFile zip = new ZipFile(lib("mesos-agents.jar").toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                if (entry.getName().endsWith(".class")) {
                    byte[] header = zip.getInputStream(entry).readNBytes(8);
                    int major = ((header[6] & 0xff) << 8) | (header[7] & 0xff);
                    assertThat(major)
                            .as(entry.getName() + " class file major version")
                            .isEqualTo(61);
                }
            }
        }
    }

    @Test
    void everyJellyFileIsWellFormedXml() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        int configs = 0;
        try (ZipFile zip = new ZipFile(lib("mesos-agents.jar").toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                if (!entry.getName().endsWith(".jelly")) {
                    continue;
                }
                byte[] bytes = zip.getInputStream(entry).readAllBytes();
                String text = new String(bytes, StandardCharsets.UTF_8);
                assertThat(text)
                        .as(entry.getName())
                        .startsWith("<?jelly escape-by-default='true'?>");
                try {
                    factory.newDocumentBuilder().parse(new ByteArrayInputStream(bytes));
                } catch (org.xml.sax.SAXException e) {
                    fail(entry.getName() + " is not well-formed XML: " + e.getMessage());
                }
                if (entry.getName().endsWith("/config.jelly")) {
                    configs++;
                }
            }
        }
        assertThat(configs).as("config.jelly files").isPositive();
    }

    private static Path lib(String fileName) {
        return libJars.stream()
                .filter(p -> p.getFileName().toString().equals(fileName))
                .findFirst()
                .orElseThrow(
                        () ->
                                new AssertionError(
                                        "WEB-INF/lib/" + fileName + " missing from " + hpi));
    }

    /** Plugin id to minimum version, from the .hpi's Plugin-Dependencies. */
    private static Map<String, String> declaredPluginDependencies() {
        Map<String, String> declared = new TreeMap<>();
        for (String dep :
                hpiManifest.getMainAttributes().getValue("Plugin-Dependencies").split(",")) {
            String[] idAndVersion = dep.split(";")[0].split(":", 2);
            declared.put(idAndVersion[0], idAndVersion[1]);
        }
        return declared;
    }

    private static List<String> resourceLines(String name) throws IOException {
        try (InputStream in = HpiPackagingIT.class.getResourceAsStream(name)) {
            assertThat(in).as(name + " on the test class path").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    private static Set<String> entryNames(Path archive) throws IOException {
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            return Collections.list(zip.entries()).stream()
                    .map(ZipEntry::getName)
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** The package directories holding stand-in sources, e.g. {@code hudson/slaves/}. */
    private static Set<String> standInPackages() throws IOException {
        Path root =
                Paths.get(System.getProperty("project.basedir", "."))
                        .resolve("src/jenkins-api/java");
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .map(f -> root.relativize(f.getParent()).toString().replace('\\', '/') + "/")
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static List<JarEntryView> entries(JarFile jar) {
        List<JarEntryView> list = new ArrayList<>();
        for (Enumeration<java.util.jar.JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
            list.add(new JarEntryView(e.nextElement().getName()));
        }
        return list;
    }

    private record JarEntryView(String name) {}

    /**
     * Loads our package child-first from the .hpi's jars (as Jenkins' plugin class loader would
     * find them there), and everything else (the stand-in, Jenkins-provided libraries) from the
     * test class path. Resources are only looked up in the .hpi so that the index read is the
     * packaged one, not target/classes.
     */
    private static final class PluginClassLoader extends URLClassLoader {
        private final List<String> missingPackages;

        PluginClassLoader(List<Path> jars) {
            this(jars, List.of());
        }

        /** As Jenkins without the plugins that provide {@code missingPackages} (class names). */
        PluginClassLoader(List<Path> jars, List<String> missingPackages) {
            super(
                    jars.stream().map(PluginClassLoader::url).toArray(URL[]::new),
                    HpiPackagingIT.class.getClassLoader());
            this.missingPackages = missingPackages;
        }

        private static URL url(Path p) {
            try {
                return p.toUri().toURL();
            } catch (java.net.MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            for (String missing : missingPackages) {
                if (name.startsWith(missing)) {
                    throw new ClassNotFoundException(name + " (its plugin is not installed)");
                }
            }
            if (name.startsWith("io.jenkins.plugins.mesosagents.")) {
                synchronized (getClassLoadingLock(name)) {
                    Class<?> loaded = findLoadedClass(name);
                    if (loaded == null) {
                        loaded = findClass(name);
                    }
                    if (resolve) {
                        resolveClass(loaded);
                    }
                    return loaded;
                }
            }
            return super.loadClass(name, resolve);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            return findResources(name);
        }

        @Override
        public URL getResource(String name) {
            return findResource(name);
        }
    }
}
