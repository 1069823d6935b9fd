package io.jenkins.plugins.mesosagents.marathon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

class AppDefinitionsTest {

    private static AppDefinition render(String json, Map<String, String> env) {
        return AppDefinitions.render(json, "marathon.json", env, Overrides.NONE);
    }

    @Test
    void reportsAMissingCommaWithLineAndColumn() {
        String json = "{\n  \"id\": \"/web\",\n  \"cmd\": \"serve\"\n  \"instances\": 2\n}\n";
        assertThatThrownBy(() -> render(json, Map.of()))
                .isInstanceOf(InvalidAppDefinitionException.class)
                .hasMessageContaining(
                        "marathon.json:4:3: Unexpected character ('\"' (code 34)): was expecting"
                                + " comma to separate Object entries");
    }

    @Test
    void reportsDuplicateKeysTrailingGarbageAndEmptyFiles() {
        assertThatThrownBy(
                        () ->
                                render(
                                        "{\"id\": \"/a\",\n \"id\": \"/b\", \"cmd\": \"x\"}",
                                        Map.of()))
                .hasMessageContaining("marathon.json:2:")
                .hasMessageContaining("Duplicate field 'id'");
        // the text after the marker is Jackson's: 2.21 (jackson2-api) says "no open Object to close"
        assertThatThrownBy(() -> render("{\"id\": \"/a\", \"cmd\": \"x\"}\n}", Map.of()))
                .hasMessageContaining("marathon.json:2:1: Unexpected close marker '}': no open Object")
                .hasMessageContaining("(is the file valid JSON?")
                .hasMessageNotContaining("Source");
        assertThatThrownBy(() -> render("{\"id\": \"/a\", \"cmd\": \"x\"}\n{}", Map.of()))
                .hasMessageContaining(
                        "marathon.json:2:1: unexpected content after the end of the JSON object");
        assertThatThrownBy(() -> render("  \n", Map.of()))
                .hasMessageContaining("the file is empty");
        assertThatThrownBy(() -> render("[{\"id\": \"/a\"}]", Map.of()))
                .hasMessageContaining("must be a JSON object");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "My_App     | segment 'My_App' may only contain lowercase letters",
                "/shop//web | has an empty path segment",
                "/shop/web/ | has an empty path segment",
                "-web       | segment '-web' may only contain",
                "/shop/../x | contains a relative segment '..'",
                "/shop/tasks| ends with the reserved word 'tasks'",
            })
    void rejectsInvalidIdsWithTheReason(String id, String reason) {
        String json = "{\n  \"id\": \"" + id.strip() + "\",\n  \"cmd\": \"serve\"\n}";
        assertThatThrownBy(() -> render(json, Map.of()))
                .isInstanceOf(InvalidAppDefinitionException.class)
                .hasMessageContaining("marathon.json:2:9 /id: ")
                .hasMessageContaining(reason);
    }

    @ParameterizedTest
    @CsvSource({"/web", "web", "/shop/web-1", "/a.b/c-d.e", "/x1/2y"})
    void acceptsValidIds(String id) {
        assertThat(AppDefinitions.idProblem(id)).isNull();
        assertThat(render("{\"id\": \"" + id + "\", \"cmd\": \"serve\"}", Map.of()).id())
                .isEqualTo(id.startsWith("/") ? id : "/" + id);
    }

    @Test
    void listsEveryProblemOfTheDefinitionAtOnce() {
        String json =
                "{\n"
                        + "  \"instances\": \"3\",\n"
                        + "  \"cpus\": 0,\n"
                        + "  \"container\": {\"docker\": {}},\n"
                        + "  \"env\": {\"PORT\": 8080},\n"
                        + "  \"labels\": {\"canary\": true},\n"
                        + "  \"upgradeStrategy\": {\"minimumHealthCapacity\": 2}\n"
                        + "}";
        InvalidAppDefinitionException e =
                (InvalidAppDefinitionException)
                        org.assertj.core.api.Assertions.catchThrowable(
                                () -> render(json, Map.of()));
        assertThat(e.problems())
                .containsExactly(
                        "marathon.json:1:1 /: \"id\" is missing; set it (e.g. \"/team/my-app\") or"
                                + " pass the id override",
                        "marathon.json:2:16 /instances: \"instances\" must be a whole number"
                                + " (without quotes), got \"3\"",
                        "marathon.json:3:11 /cpus: \"cpus\" must be at least 0.001, got 0",
                        "marathon.json:4:27 /container/docker: \"container.docker.image\" is"
                                + " missing; set it or pass the image override",
                        "marathon.json:5:19 /env/PORT: env values must be strings (quote numbers)"
                                + " or {\"secret\": \"name\"}",
                        "marathon.json:6:24 /labels/canary: label values must be strings (quote"
                                + " numbers and booleans)",
                        "marathon.json:7:48 /upgradeStrategy/minimumHealthCapacity: must be a"
                                + " number between 0 and 1");
    }

    @Test
    void needsCmdOrArgsOrAContainer() {
        assertThatThrownBy(() -> render("{\"id\": \"/a\"}", Map.of()))
                .hasMessageContaining("the app needs \"cmd\" or \"args\"");
        assertThatThrownBy(
                        () ->
                                render(
                                        "{\"id\": \"/a\", \"cmd\": \"x\", \"args\": [\"y\"]}",
                                        Map.of()))
                .hasMessageContaining("set either \"cmd\" or \"args\", not both");
    }

    @Test
    void substitutesVariablesFromTheEnvironmentInEveryStringValue() {
        String json =
                "{\"id\": \"/shop/${SERVICE}\", \"cmd\": \"run $${HOME} ${PORT0\",\n"
                    + " \"container\": {\"docker\": {\"image\": \"registry:5000/shop:${TAG}\"}},\n"
                    + " \"env\": {\"BUILD\": \"${BUILD_NUMBER}-${TAG}\", \"SHELL_VAR\": \"$HOME\"},"
                    + " \"args\": null,\n"
                    + " \"fetch\": [{\"uri\": \"https://cdn/${TAG}.tgz\"}]}";
        AppDefinition app =
                render(json, Map.of("SERVICE", "web", "TAG", "1.4.2", "BUILD_NUMBER", "17"));

        assertThat(app.id()).isEqualTo("/shop/web");
        assertThat(app.image()).isEqualTo("registry:5000/shop:1.4.2");
        assertThat(app.json().path("cmd").asText()).isEqualTo("run ${HOME} ${PORT0");
        assertThat(app.json().path("env").path("BUILD").asText()).isEqualTo("17-1.4.2");
        assertThat(app.json().path("env").path("SHELL_VAR").asText()).isEqualTo("$HOME");
        assertThat(app.json().path("fetch").get(0).path("uri").asText())
                .isEqualTo("https://cdn/1.4.2.tgz");
    }

    @Test
    void unknownVariablesAreAllReportedWithTheirPlace() {
        String json =
                "{\"id\": \"/web\",\n"
                        + " \"cmd\": \"serve\",\n"
                        + " \"container\": {\"docker\": {\"image\": \"shop:${TAG}\"}},\n"
                        + " \"labels\": {\"owner\": \"${OWNER}\"}}";
        assertThatThrownBy(() -> render(json, Map.of()))
                .isInstanceOf(InvalidAppDefinitionException.class)
                .hasMessageContaining(
                        "marathon.json:3:36 /container/docker/image: ${TAG} is not set in the build"
                                + " environment")
                .hasMessageContaining("write $${TAG} to keep it literally")
                .hasMessageContaining("marathon.json:4:22 /labels/owner: ${OWNER} is not set");
    }

    @Test
    void overridesWinOverTheFileAndAreSubstitutedToo() {
        String json =
                "{\"id\": \"/web\", \"cmd\": \"serve\", \"instances\": 1, \"env\": {\"A\":"
                        + " \"file\", \"B\": \"file\"}}";
        Overrides overrides =
                Overrides.builder()
                        .id("/shop/web-${BRANCH}")
                        .image("shop:${TAG}")
                        .instances(5)
                        .cpus(0.5)
                        .mem(256.0)
                        .env("B", "pipeline")
                        .label("commit", "${COMMIT}")
                        .build();
        AppDefinition app =
                AppDefinitions.render(
                        json,
                        "marathon.json",
                        Map.of("BRANCH", "main", "TAG", "9", "COMMIT", "abc"),
                        overrides);

        assertThat(app.id()).isEqualTo("/shop/web-main");
        assertThat(app.json().path("container").path("type").asText()).isEqualTo("DOCKER");
        assertThat(app.image()).isEqualTo("shop:9");
        assertThat(app.instances()).isEqualTo(5);
        assertThat(app.json().path("cpus").asDouble()).isEqualTo(0.5);
        assertThat(app.json().path("mem").asDouble()).isEqualTo(256.0);
        assertThat(app.json().path("env").path("A").asText()).isEqualTo("file");
        assertThat(app.json().path("env").path("B").asText()).isEqualTo("pipeline");
        assertThat(app.json().path("labels").path("commit").asText()).isEqualTo("abc");
    }

    @Test
    void acceptsADefinitionGivenAsAMap() {
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("id", "/map/app");
        definition.put("instances", 2);
        definition.put("container", Map.of("docker", Map.of("image", "shop:${TAG}")));
        definition.put("healthChecks", List.of(Map.of("protocol", "HTTP", "path", "/health")));
        AppDefinition app =
                AppDefinitions.render(definition, "(map)", Map.of("TAG", "3"), Overrides.NONE);

        assertThat(app.image()).isEqualTo("shop:3");
        assertThat(app.instances()).isEqualTo(2);
        assertThat(app.hasHealthChecks()).isTrue();
    }

    @Test
    void keepsFieldsItDoesNotKnow() {
        AppDefinition app =
                render(
                        "{\"id\": \"/a\", \"cmd\": \"x\", \"networks\": [{\"mode\":"
                                + " \"container/bridge\"}], \"x-ext\": {\"k\": 1.5}}",
                        Map.of());
        assertThat(app.json().path("networks").get(0).path("mode").asText())
                .isEqualTo("container/bridge");
        assertThat(app.json().path("x-ext").path("k").asDouble()).isEqualTo(1.5);
    }

    /**
     * Found by probing deep nesting by hand while writing AppDefinitionsFuzzTest (whose inputs run on
     * a default-size stack): JsonSource reads the tree recursively, and Jackson's own nesting limit (1000) is deeper than a small thread stack can
     * recurse, so 900 nested arrays threw StackOverflowError instead of a message.
     */
    @Test
    void deeplyNestedJsonIsAMessageNotAStackOverflow() throws Exception {
        String nested = "[".repeat(900) + "]".repeat(900);
        String json = "{\"id\":\"/a\",\"cmd\":\"x\",\"labels\":{\"k\":" + nested + "}}";
        Throwable[] thrown = new Throwable[1];
        Thread small = new Thread(null, () -> {
            try {
                render(json, Map.of());
            } catch (Throwable t) {
                thrown[0] = t;
            }
        }, "small-stack", 256 * 1024);
        small.start();
        small.join();

        assertThat(thrown[0])
                .isInstanceOf(InvalidAppDefinitionException.class)
                .hasMessageContaining("marathon.json")
                .hasMessageContaining("nested more than 100 levels");
    }
}
