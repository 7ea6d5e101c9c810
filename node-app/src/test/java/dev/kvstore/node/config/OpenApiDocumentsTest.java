package dev.kvstore.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.yaml.snakeyaml.Yaml;

/**
 * The document the running node serves is the one committed as openapi/node.yaml, and keeps the
 * conventions the coordinator relies on. On drift the served document is left in target/openapi/
 * for review; {@code -Dopenapi.write=true} copies it over the committed one instead of failing.
 * No coordinator runs: the node's registration attempts fail and are retried in the background.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpenApiDocumentsTest {

    private static final Path COMMITTED = Path.of(System.getProperty("kv.repo.root", "..")).resolve("openapi");
    private static final Path SERVED = Path.of("target", "openapi");
    private static final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    static Path data;

    @Value("${local.server.port}")
    int port;

    @DynamicPropertySource
    static void node(DynamicPropertyRegistry registry) throws IOException {
        int noCoordinator;
        try (ServerSocket probe = new ServerSocket(0)) {
            noCoordinator = probe.getLocalPort();
        }
        String coordinator = "http://127.0.0.1:" + noCoordinator;
        registry.add("kv.node.data-dir", () -> data.toString());
        registry.add("kv.node.id", () -> "node-docs");
        registry.add("kv.coordinator.urls", () -> coordinator);
        registry.add("kv.wal.fsync", () -> "off");
    }

    @Test
    void internalGroupIsTheCommittedNodeYaml() throws Exception {
        String served = get("/v3/api-docs.yaml/internal");
        Files.createDirectories(SERVED);
        Files.writeString(SERVED.resolve("node.yaml"), served);
        Path committed = COMMITTED.resolve("node.yaml");
        if (Boolean.getBoolean("openapi.write")) {
            Files.writeString(committed, served);
            return;
        }
        Object actual = new Yaml().load(served);
        Object expected = Files.exists(committed) ? new Yaml().load(Files.readString(committed)) : null;
        // Compared as trees, so only content counts, not how the YAML writer lays it out.
        if (Objects.equals(expected, actual)) {
            return;
        }
        List<String> differences = new ArrayList<>();
        diff("", expected, actual, differences);
        fail("openapi/node.yaml differs from the document the node serves (%s). If the change is intended, "
                + "update the committed document:%n  cp node-app/%s openapi/node.yaml%nor run "
                + "./mvnw -pl node-app -am test -Dtest=OpenApiDocumentsTest -Dsurefire.failIfNoSpecifiedTests=false -Dopenapi.write=true",
                String.join("; ", differences), SERVED.resolve("node.yaml"));
    }

    @Test
    void everyOperationRequiresTheClusterSecret() throws Exception {
        Map<String, Object> doc = yaml(get("/v3/api-docs.yaml/internal"));

        assertThat(map(map(doc.get("components")).get("securitySchemes"))).containsKey("clusterSecret");
        assertThat(operations(doc)).hasSizeGreaterThan(10).allSatisfy(op ->
                assertThat(op.get("security")).isEqualTo(List.of(Map.of("clusterSecret", List.of()))));
    }

    @Test
    void everyErrorWithABodyIsAProblemAndEvery503SaysWhenToRetry() throws Exception {
        for (Map<String, Object> op : operations(yaml(get("/v3/api-docs.yaml/internal")))) {
            Map<String, Map<String, Object>> responses = map(op.get("responses"));
            responses.forEach((status, response) -> {
                if (status.startsWith("4") || status.startsWith("5")) {
                    Map<String, Object> content = map(response.get("content"));
                    if (content != null) {
                        assertThat(content).as("%s %s", op.get("operationId"), status)
                                .containsOnlyKeys("application/problem+json");
                        assertThat(map(content.get("application/problem+json")).get("schema"))
                                .isEqualTo(Map.of("$ref", "#/components/schemas/Problem"));
                    }
                }
                if (status.equals("503")) {
                    assertThat(map(response.get("headers"))).as("%s 503", op.get("operationId"))
                            .containsKey("Retry-After");
                }
            });
        }
    }

    /** Up to five JSON-pointer-like places where the two trees differ. */
    private static void diff(String at, Object expected, Object actual, List<String> out) {
        if (out.size() >= 5 || Objects.equals(expected, actual)) {
            return;
        }
        if (expected instanceof Map<?, ?> e && actual instanceof Map<?, ?> a) {
            Set<Object> keys = new HashSet<>(e.keySet());
            keys.addAll(a.keySet());
            keys.stream().map(String::valueOf).sorted()
                    .forEach(key -> diff(at + "/" + key, e.get(key), a.get(key), out));
        } else if (expected instanceof List<?> e && actual instanceof List<?> a && e.size() == a.size()) {
            for (int i = 0; i < e.size(); i++) {
                diff(at + "/" + i, e.get(i), a.get(i), out);
            }
        } else {
            out.add((at.isEmpty() ? "/" : at) + ": committed " + abbreviate(expected) + ", served "
                    + abbreviate(actual));
        }
    }

    private static String abbreviate(Object value) {
        String text = String.valueOf(value);
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }

    private String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
        return response.body();
    }

    private static Map<String, Object> yaml(String text) {
        return new Yaml().load(text);
    }

    private static List<Map<String, Object>> operations(Map<String, Object> doc) {
        List<Map<String, Object>> operations = new ArrayList<>();
        Map<String, Map<String, Object>> paths = map(doc.get("paths"));
        paths.values().forEach(item -> item.values().forEach(op -> operations.add(map(op))));
        return operations;
    }

    @SuppressWarnings("unchecked")
    private static <T> Map<String, T> map(Object value) {
        return (Map<String, T>) value;
    }
}
