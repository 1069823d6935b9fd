package io.jenkins.plugins.mesosagents;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The stand-in's signature check: every member a stand-in type declares (public or protected, with
 * its modifiers, type parameters, return, parameter and thrown types, names resolved) must be a
 * member of the real type at the baseline, as recorded in {@code stand-in-signatures.txt} by {@link
 * StandInSignatures#main} from the real sources (each entry names its repository, ref and file).
 * The stand-in may declare fewer members than the real type, never different ones. Covers the types
 * listed in that file; a type added to the stand-in should be added there too.
 */
class StandInSignatureTest {
    /**
     * Stand-in members that differ from the real declaration on purpose, each with why. Hudson's
     * CloudList flattens Jenkins.CloudList → DescribableList → PersistedList&lt;Cloud&gt; into one
     * AbstractList&lt;Cloud&gt;, so the inherited generic members appear with Cloud for T.
     */
    private static final Map<String, String> KNOWN_DIFFERENCES =
            Map.of(
                    "hudson.model.Hudson$CloudList: public <U extends hudson.slaves.Cloud>"
                            + " java.util.List<U> getAll(java.lang.Class<U>)",
                    "PersistedList<T>.getAll with T = Cloud: the same erasure",
                    "hudson.model.Hudson$CloudList: public hudson.slaves.Cloud getByName("
                            + "java.lang.String)",
                    "declared by Jenkins.CloudList, a flattened supertype",
                    "hudson.model.Hudson$CloudList: public int size()",
                    "declared by PersistedList, a flattened supertype",
                    "hudson.model.Hudson$CloudList: public hudson.slaves.Cloud get(int)",
                    "required by AbstractList; the real erasure returns Object, so a call"
                            + " compiled against this one would not link: never call"
                            + " clouds.get(int), use getAll or getByName");

    private static final Path STAND_IN =
            Paths.get(System.getProperty("project.basedir", ".")).resolve("src/jenkins-api/java");

    @Test
    void everyCheckedStandInMemberIsARealMember() throws IOException {
        Map<String, Set<String>> real = reference();
        List<String> problems = new ArrayList<>();
        Map<Path, Map<String, Set<String>>> parsed = new LinkedHashMap<>();
        for (Map.Entry<String, Set<String>> type : real.entrySet()) {
            String outer =
                    type.getKey().contains("$")
                            ? type.getKey().substring(0, type.getKey().indexOf('$'))
                            : type.getKey();
            Path file = STAND_IN.resolve(outer.replace('.', '/') + ".java");
            if (!Files.exists(file)) {
                continue; // recorded ahead of a branch that adds it; coverage is checked below
            }
            Map<String, Set<String>> standIn =
                    parsed.computeIfAbsent(
                            file,
                            f -> {
                                try {
                                    return StandInSignatures.of(Files.readString(f));
                                } catch (IOException e) {
                                    throw new IllegalStateException(e);
                                }
                            });
            Set<String> members = standIn.get(type.getKey());
            if (members == null) {
                problems.add(type.getKey() + ": not declared in " + file);
                continue;
            }
            for (String m : members) {
                if (!type.getValue().contains(m)
                        && !KNOWN_DIFFERENCES.containsKey(type.getKey() + ": " + m)) {
                    problems.add(type.getKey() + ": " + m);
                }
            }
        }
        assertThat(problems)
                .as("stand-in members that the real sources do not declare so")
                .isEmpty();
        assertThat(real)
                .as("the types this check covers")
                .containsKeys(
                        "hudson.model.Action",
                        "hudson.model.Actionable",
                        "hudson.model.Run",
                        "hudson.model.ExecutorListener",
                        "hudson.model.queue.SubTask",
                        "jenkins.model.RunAction2",
                        "org.kohsuke.stapler.export.Exported",
                        "org.kohsuke.stapler.export.ExportedBean",
                        "org.jenkinsci.plugins.pipeline.modeldefinition.agent.DeclarativeAgent",
                        "org.jenkinsci.plugins.pipeline.modeldefinition.agent"
                                + ".DeclarativeAgentDescriptor",
                        "org.jenkinsci.plugins.pipeline.modeldefinition.agent"
                                + ".RetryableDeclarativeAgent",
                        "org.jenkinsci.plugins.pipeline.modeldefinition.withscript"
                                + ".WithScriptDescribable",
                        "org.jenkinsci.plugins.pipeline.modeldefinition.withscript"
                                + ".WithScriptDescriptor");
    }

    /**
     * Every stand-in type copied from Jenkins core, workflow-step-api or pipeline-model-extensions
     * is checked: a new one fails here until its real signatures are recorded.
     */
    @Test
    void everyCoreWorkflowStepAndDeclarativeStandInTypeIsCovered() throws IOException {
        Set<String> covered = reference().keySet();
        List<String> missing = new ArrayList<>();
        try (var files = Files.walk(STAND_IN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(f);
                if (text.contains("Stand-in of jenkins-2.479.3 core/")
                        || text.contains("Stand-in of workflow-step-api ")
                        || text.contains(
                                "Stand-in of jenkinsci/pipeline-model-definition-plugin ")) {
                    String type =
                            STAND_IN.relativize(f)
                                    .toString()
                                    .replace('/', '.')
                                    .replaceAll("\\.java$", "");
                    if (!covered.contains(type)) {
                        missing.add(type);
                    }
                }
            }
        }
        assertThat(missing).as("stand-in types without recorded real signatures").isEmpty();
        assertThat(covered.size()).as("types checked").isGreaterThan(100);
    }

    /** The check itself can fail: a member with a wrong parameter type is not a real member. */
    @Test
    void aChangedParameterTypeIsCaught() throws IOException {
        String wrong =
                """
package hudson.model;
public interface ExecutorListener {
    default void taskCompleted(Executor executor, Queue.Task task, int durationMS) {}
}
""";
        Set<String> members = StandInSignatures.of(wrong).get("hudson.model.ExecutorListener");
        Set<String> real = reference().get("hudson.model.ExecutorListener");
        assertThat(members)
                .contains(
                        "public default void taskCompleted(hudson.model.Executor,"
                                + " hudson.model.Queue.Task, int)");
        assertThat(real)
                .contains(
                        "public default void taskCompleted(hudson.model.Executor,"
                                + " hudson.model.Queue.Task, long)")
                .doesNotContain(
                        "public default void taskCompleted(hudson.model.Executor,"
                                + " hudson.model.Queue.Task, int)");
    }

    private static Map<String, Set<String>> reference() throws IOException {
        Map<String, Set<String>> types = new LinkedHashMap<>();
        try (InputStream in =
                StandInSignatureTest.class.getResourceAsStream("stand-in-signatures.txt")) {
            assertThat(in).as("stand-in-signatures.txt").isNotNull();
            Set<String> current = null;
            for (String line :
                    new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                if (line.startsWith("type ")) {
                    current = new TreeSet<>();
                    types.put(line.substring(5).trim(), current);
                } else {
                    current.add(line.trim());
                }
            }
        }
        return types;
    }
}
