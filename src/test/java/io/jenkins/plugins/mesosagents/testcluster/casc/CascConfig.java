package io.jenkins.plugins.mesosagents.testcluster.casc;

import java.util.List;
import java.util.Map;

/**
 * What {@link CascReader} found in a JCasC file: its {@code mesosAgents} clouds (in file order) and
 * the credentials they may refer to by id.
 */
public record CascConfig(
        String source, List<CascCloud> clouds, Map<String, CascCredential> credentials) {

    public CascConfig {
        clouds = List.copyOf(clouds);
        credentials = Map.copyOf(credentials);
    }

    /** The file's only Mesos cloud; an error when it has none or several. */
    public CascCloud cloud() {
        if (clouds.size() != 1) {
            throw new InvalidCascException(
                    source
                            + ": expected exactly one 'jenkins: clouds: - "
                            + CascReader.CLOUD_SYMBOL
                            + ":' block, found "
                            + clouds.size()
                            + (clouds.isEmpty()
                                    ? ""
                                    : " ("
                                            + String.join(
                                                    ", ",
                                                    clouds.stream()
                                                            .map(c -> c.settings().name())
                                                            .toList())
                                            + ")"));
        }
        return clouds.get(0);
    }

    /** The Mesos cloud with this name. */
    public CascCloud cloud(String name) {
        return clouds.stream()
                .filter(c -> c.settings().name().equals(name))
                .findFirst()
                .orElseThrow(
                        () ->
                                new InvalidCascException(
                                        source
                                                + ": no "
                                                + CascReader.CLOUD_SYMBOL
                                                + " cloud named '"
                                                + name
                                                + "'; the file has "
                                                + clouds.stream()
                                                        .map(c -> c.settings().name())
                                                        .toList()));
    }
}
