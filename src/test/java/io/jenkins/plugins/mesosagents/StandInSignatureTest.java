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
            assertThat(file).as("stand-in of " + type.getKey()).exists();
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
                if (!type.getValue().contains(m)) {
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
