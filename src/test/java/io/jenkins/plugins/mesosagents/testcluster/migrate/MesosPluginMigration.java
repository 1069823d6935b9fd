package io.jenkins.plugins.mesosagents.testcluster.migrate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import io.jenkins.plugins.mesosagents.testcluster.casc.CascReader;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Converts jenkinsci/mesos-plugin clouds (1.x or 2.x, from config.xml or JCasC YAML) into this
 * plugin's JCasC YAML ({@code jenkins: clouds: - mesosAgents: {…}}, keys as {@link CascReader}
 * accepts them). Whatever cannot be carried over, or changes meaning, is a {@link Finding}: listed
 * as comments at the top of the YAML and returned, never dropped silently.
 */
public final class MesosPluginMigration {
    /** Fields only the 1.x cloud has (MesosCloud.java@mesos-1.0.0:66-93). */
    private static final Set<String> V1_FIELDS =
            Set.of(
                    "slaveInfos",
                    "nativeLibraryPath",
                    "slavesUser",
                    "cloudID",
                    "declineOfferDuration",
                    "onDemandRegistration",
                    "nfsRemoteFSRoot");

    private static final ObjectMapper YAML =
            new ObjectMapper(
                    YAMLFactory.builder()
                            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
                            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                            .build());

    private MesosPluginMigration() {}

    /** The converted YAML and the findings, in source order. */
    public record Result(String yaml, List<Finding> findings) {
        public Result {
            findings = List.copyOf(findings);
        }

        public List<Finding> notCarriedOver() {
            return findings.stream()
                    .filter(f -> f.kind() == Finding.Kind.NOT_CARRIED_OVER)
                    .toList();
        }
    }

    /**
     * @param text the file's content: Jenkins' config.xml, one MesosCloud element, or JCasC YAML
     * @param source the file's name, for messages
     */
    public static Result convert(String text, String source) {
        List<SourceReader.SourceCloud> clouds = SourceReader.read(text, source);
        Output out = new Output();
        ArrayNode list = Output.object().arrayNode();
        List<String> shapes = new ArrayList<>();
        for (int i = 0; i < clouds.size(); i++) {
            SourceReader.SourceCloud cloud = clouds.get(i);
            if (!cloud.fields().isObject()) {
                throw new InvalidSourceException(
                        cloud.where() + ": the cloud has no fields; is this mesos-plugin's cloud?");
            }
            boolean v1 = V1_FIELDS.stream().anyMatch(cloud.fields()::has);
            String name = "mesos-agents" + (i == 0 ? "" : "-" + (i + 1));
            Fields fields =
                    new Fields(cloud.fields(), clouds.size() == 1 ? "cloud" : "cloud#" + (i + 1));
            ObjectNode converted =
                    v1 ? V1Mapping.cloud(fields, name, out) : V2Mapping.cloud(fields, name, out);
            shapes.add(v1 ? "1.x" : "2.x");
            list.addObject().set(CascReader.CLOUD_SYMBOL, converted);
        }
        ObjectNode root = Output.object();
        root.putObject("jenkins").set("clouds", list);
        StringBuilder yaml = new StringBuilder();
        yaml.append("# Converted from jenkinsci/mesos-plugin ")
                .append(String.join(", ", shapes))
                .append(" (")
                .append(source)
                .append(") by test-cluster/migrate; see docs/migration.md.\n");
        yaml.append("# Review the findings below before applying this file with JCasC.\n");
        for (Finding f : out.findings) {
            yaml.append("# ").append(f.toString().replace('\n', ' ')).append('\n');
        }
        try {
            yaml.append(YAML.writeValueAsString(root));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write YAML", e);
        }
        return new Result(yaml.toString(), out.findings);
    }
}
