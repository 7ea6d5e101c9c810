package dev.kvstore.node.migration;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.kvstore.model.KeyHash;
import dev.kvstore.node.BatchJson;
import dev.kvstore.node.NodeApplication;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two real nodes on 127.0.0.1: this test's application context is the target, a second
 * {@link NodeApplication} started here is the source, and the target pulls ranges from it over HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RangeCopyHttpTest {

    private static final int KEYS = 200;
    /** The source's keys ordered by ring hash, so ranges between their hashes select known keys. */
    private static final List<String> BY_HASH = IntStream.range(0, KEYS).mapToObj(i -> "app/key-" + i)
            .sorted(Comparator.comparingLong(KeyHash::of)).toList();

    @TempDir
    static Path dirs;
    static final int NO_COORDINATOR = unusedPort();
    static ConfigurableApplicationContext sourceNode;
    static String source;

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final JsonMapper json = JsonMapper.builder().build();

    @Value("${local.server.port}")
    int port;

    @DynamicPropertySource
    static void targetNode(DynamicPropertyRegistry registry) {
        registry.add("kv.node.data-dir", () -> dirs.resolve("target").toString());
        registry.add("kv.node.id", () -> "node-target");
        registry.add("kv.coordinator.urls", () -> "http://127.0.0.1:" + NO_COORDINATOR);
        registry.add("kv.wal.fsync", () -> "off");
    }

    @BeforeAll
    static void startSourceNode() throws Exception {
        sourceNode = new SpringApplicationBuilder(NodeApplication.class).run("--server.port=0",
                "--kv.node.data-dir=" + dirs.resolve("source"), "--kv.node.id=node-source",
                "--kv.coordinator.urls=http://127.0.0.1:" + NO_COORDINATOR, "--kv.wal.fsync=off");
        source = "http://127.0.0.1:" + sourceNode.getEnvironment().getProperty("local.server.port");
        List<String> prepares = new ArrayList<>();
        List<String> commits = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            String key = "app/key-" + i;
            prepares.add("""
                    {"txId":"w%d","kind":"PREPARE","prepare":{"key":"%s","table":"OWN","op":"PUT","value":"%s","contentType":"text/plain","peers":[]}}"""
                    .formatted(i, key, Base64.getEncoder().encodeToString(("value of " + key).getBytes(UTF_8))));
            commits.add("{\"txId\":\"w%d\",\"kind\":\"COMMIT\",\"version\":%d}".formatted(i, 1000 + i));
        }
        JsonNode votes = body(post(source + "/internal/txn/batch", "{\"messages\":[" + String.join(",", prepares) + "]}"));
        JsonNode outcomes = body(post(source + "/internal/txn/batch", "{\"messages\":[" + String.join(",", commits) + "]}"));
        assertThat(votes.path("replies").size()).isEqualTo(KEYS);
        assertThat(votes.path("replies")).allSatisfy(reply -> assertThat(reply.path("vote").path("yes").asBoolean()).isTrue());
        assertThat(outcomes.path("replies").size()).isEqualTo(KEYS);
        assertThat(outcomes.path("replies")).allSatisfy(reply ->
                assertThat(reply.path("outcome").path("state").asString()).isEqualTo("COMMITTED"));
    }

    @AfterAll
    static void stopSourceNode() {
        if (sourceNode != null) {
            sourceNode.close();
        }
    }

    private String target() {
        return "http://127.0.0.1:" + port;
    }

    private static int unusedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> post(String url, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long hash(int index) {
        return KeyHash.of(BY_HASH.get(index));
    }

    /** A range as JSON holding exactly the keys with sorted indexes {@code from + 1 .. to} (wrapping when from > to). */
    private static String range(int from, int to) {
        return "{\"fromExclusive\":" + hash(from) + ",\"toInclusive\":" + hash(to) + "}";
    }

    private static Set<String> keys(IntStream indexes) {
        return indexes.mapToObj(BY_HASH::get).collect(Collectors.toCollection(TreeSet::new));
    }

    /** key -> version of a node's table, read through its internal API. */
    private static Map<String, Long> table(String node, String table) throws Exception {
        Map<String, Long> out = new HashMap<>();
        for (JsonNode entry : json.readTree(get(node + "/internal/tables/" + table).body())) {
            out.put(entry.get("key").asString(), entry.get("version").asLong());
        }
        return out;
    }

    private static JsonNode body(HttpResponse<String> response) {
        return json.readTree(response.body());
    }

    @Test
    void targetPullsTheRangesFromTheSourceOverHttpAndTheyCanThenBeMovedDroppedAndCounted() throws Exception {
        String ranges = "[" + range(KEYS - 11, 19) + "," + range(99, 149) + "]";
        Set<String> expected = keys(IntStream.concat(IntStream.concat(IntStream.range(KEYS - 10, KEYS),
                IntStream.rangeClosed(0, 19)), IntStream.rangeClosed(100, 149)));
        String copy = """
                {"sourceUrl":"%s","sourceTable":"OWN","targetTable":"PREV","ranges":%s}""".formatted(source, ranges);

        HttpResponse<String> copied = post(target() + "/internal/ranges/copy", copy);

        assertThat(copied.statusCode()).as(copied.body()).isEqualTo(200);
        assertThat(body(copied).get("keys").asLong()).isEqualTo(80);
        Map<String, Long> prev = table(target(), "prev");
        Map<String, Long> onSource = table(source, "own");
        assertThat(new TreeSet<>(prev.keySet())).isEqualTo(expected);
        expected.forEach(key -> assertThat(prev.get(key)).as(key).isEqualTo(onSource.get(key)));
        assertThat(table(target(), "own")).isEmpty();
        String key = BY_HASH.get(120);
        JsonNode read = BatchJson.reply(post(target() + "/internal/kv/batch", BatchJson.read("PREV", key)).body());
        assertThat(BatchJson.value(read)).isEqualTo("value of " + key);
        assertThat(read.path("version").asLong()).isEqualTo(onSource.get(key));
        assertThat(read.path("contentType").asString()).isEqualTo("text/plain");

        HttpResponse<String> again = post(target() + "/internal/ranges/copy", copy);
        assertThat(body(again).get("keys").asLong()).as("a repeated copy installs nothing").isZero();
        assertThat(table(target(), "prev")).isEqualTo(prev);

        HttpResponse<String> moved = post(target() + "/internal/ranges/move",
                "{\"from\":\"PREV\",\"to\":\"OWN\",\"ranges\":[" + range(99, 149) + "]}");
        assertThat(body(moved).get("keys").asLong()).isEqualTo(50);
        HttpResponse<String> dropped = post(target() + "/internal/ranges/drop",
                "{\"table\":\"PREV\",\"ranges\":[" + range(KEYS - 11, 19) + "]}");
        assertThat(body(dropped).get("keys").asLong()).isEqualTo(30);
        HttpResponse<String> counted = post(target() + "/internal/ranges/count",
                "{\"table\":\"OWN\",\"ranges\":[{\"fromExclusive\":0,\"toInclusive\":0}]}");
        assertThat(body(counted).get("keys").asLong()).isEqualTo(50);
        assertThat(table(target(), "prev")).isEmpty();
        assertThat(new TreeSet<>(table(target(), "own").keySet())).isEqualTo(keys(IntStream.rangeClosed(100, 149)));
    }

    @Test
    void exportIsAnOctetStreamOfLengthPrefixedFramesEndingWithAZeroLengthFrame() throws Exception {
        HttpResponse<byte[]> export = http.send(HttpRequest.newBuilder(URI.create(source + "/internal/ranges/export"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"table\":\"OWN\",\"ranges\":[" + range(9, 59) + "]}"))
                .build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Type")).contains("application/octet-stream");
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(export.body()));
        int frames = 0;
        for (int length = in.readInt(); length != 0; length = in.readInt()) {
            assertThat(in.skipBytes(length)).isEqualTo(length);
            frames++;
        }
        assertThat(frames).isEqualTo(50);
        assertThat(in.available()).as("nothing after the end marker").isZero();
    }

    @Test
    void copyFromAnUnreachableSourceIs503WithAProblemNamingTheSource() throws Exception {
        String dead = "http://127.0.0.1:" + unusedPort();

        HttpResponse<String> response = post(target() + "/internal/ranges/copy", """
                {"sourceUrl":"%s","sourceTable":"OWN","targetTable":"OWN","ranges":[{"fromExclusive":0,"toInclusive":0}]}"""
                .formatted(dead));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(body(response).get("detail").asString()).contains("could not reach the source node " + dead);
        assertThat(body(response).get("source").asString()).isEqualTo(dead);
    }

    @Test
    void sourceAnsweringAnErrorIs502QuotingItsAnswer() throws Exception {
        String notANode = target() + "/not-a-node";

        HttpResponse<String> response = post(target() + "/internal/ranges/copy", """
                {"sourceUrl":"%s","sourceTable":"OWN","targetTable":"OWN","ranges":[]}""".formatted(notANode));

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(body(response).get("detail").asString()).contains(notANode, "answered 404");
    }

    @Test
    void streamCutOffBySourceIs503SayingHowManyKeysWereInstalledAndThoseStay() throws Exception {
        HttpServer broken = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        broken.createContext("/internal/ranges/export", exchange -> {
            exchange.getRequestBody().readAllBytes();
            ByteArrayOutputStream frames = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(frames);
            for (String key : List.of("cut/a", "cut/b")) {
                byte[] payload = entry(key);
                out.writeInt(payload.length);
                out.write(payload);
            }
            out.writeInt(500);
            out.write(new byte[] {10, 0});
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(frames.toByteArray());
                body.flush();
            }
        });
        broken.start();
        String url = "http://127.0.0.1:" + broken.getAddress().getPort();
        try {
            HttpResponse<String> response = post(target() + "/internal/ranges/copy", """
                    {"sourceUrl":"%s","sourceTable":"OWN","targetTable":"OWN","ranges":[{"fromExclusive":0,"toInclusive":0}]}"""
                    .formatted(url));

            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
            assertThat(body(response).get("detail").asString())
                    .contains(url, "cut off in the middle of frame 3", "repeat the copy");
            assertThat(body(response).get("installed").asLong()).isEqualTo(2);
            assertThat(table(target(), "own")).containsKeys("cut/a", "cut/b");
        } finally {
            broken.stop(0);
            post(target() + "/internal/ranges/drop", "{\"table\":\"OWN\",\"ranges\":[" + "{\"fromExclusive\":"
                    + (KeyHash.of("cut/a") - 1) + ",\"toInclusive\":" + KeyHash.of("cut/a") + "},{\"fromExclusive\":"
                    + (KeyHash.of("cut/b") - 1) + ",\"toInclusive\":" + KeyHash.of("cut/b") + "}]}");
        }
    }

    /** An encoded entry as the export writes it: tag 10, table, key, value, content type, version. */
    private static byte[] entry(String key) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(10);
        out.writeByte(0);
        out.writeUTF(key);
        out.writeInt(1);
        out.writeByte(7);
        out.writeBoolean(false);
        out.writeLong(3);
        return bytes.toByteArray();
    }

    @Test
    void badRequestsAre400ProblemsThatSayWhatIsWrongAndChangeNothing() throws Exception {
        Map<String, String> requests = new HashMap<>();
        requests.put("/internal/ranges/copy", "{\"sourceTable\":\"OWN\",\"targetTable\":\"OWN\",\"ranges\":[]}");
        requests.put("/internal/ranges/export", "{\"table\":\"OWN\"}");
        requests.put("/internal/ranges/drop", "{\"ranges\":[]}");
        requests.put("/internal/ranges/move", "{\"from\":\"OWN\",\"to\":\"OWN\",\"ranges\":[]}");
        requests.put("/internal/ranges/count", "{\"table\":\"NOPE\",\"ranges\":[]}");
        Map<String, String> details = Map.of(
                "/internal/ranges/copy", "sourceUrl is required",
                "/internal/ranges/export", "ranges is required",
                "/internal/ranges/drop", "table is required",
                "/internal/ranges/move", "both OWN",
                "/internal/ranges/count", "OWN");
        List<String> checked = new ArrayList<>();
        for (var request : requests.entrySet()) {
            HttpResponse<String> response = post(target() + request.getKey(), request.getValue());

            assertThat(response.statusCode()).as(request.getKey()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).as(request.getKey())
                    .contains("application/problem+json");
            assertThat(body(response).get("detail").asString()).as(request.getKey())
                    .contains(details.get(request.getKey()));
            checked.add(request.getKey());
        }
        HttpResponse<String> notAUrl = post(target() + "/internal/ranges/copy",
                "{\"sourceUrl\":\"ftp://x\",\"sourceTable\":\"OWN\",\"targetTable\":\"OWN\",\"ranges\":[]}");
        assertThat(notAUrl.statusCode()).isEqualTo(400);
        assertThat(body(notAUrl).get("detail").asString()).contains("must be a node's base URL");
        assertThat(checked).hasSize(5);
    }
}
