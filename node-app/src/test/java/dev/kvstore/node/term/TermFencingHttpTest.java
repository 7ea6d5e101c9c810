package dev.kvstore.node.term;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.auth.ClusterKey;
import dev.kvstore.auth.RequestSigner;
import dev.kvstore.node.BatchJson;
import dev.kvstore.node.wal.Disk;
import dev.kvstore.web.security.SigningInterceptor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real node with a cluster secret, called as the coordinators' leader calls it: signed, with its
 * term in the query string. Each test starts from whatever term the earlier ones left and raises it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TermFencingHttpTest {

    static final String SECRET = "term fencing test secret, long enough";

    @TempDir
    static Path dirs;

    private static final JsonMapper json = JsonMapper.builder().build();
    private final RequestSigner signer = new RequestSigner(ClusterKey.fromSecret(SECRET), Clock.systemUTC());
    private final RestClient cluster = RestClient.builder()
            .requestFactory(new JdkClientHttpRequestFactory(HttpClient.newHttpClient()))
            .requestInterceptor(new SigningInterceptor(signer))
            .defaultStatusHandler(status -> true, (request, response) -> { })
            .build();

    @Autowired
    TermStore terms;
    @Value("${local.server.port}")
    int port;

    @DynamicPropertySource
    static void securedNode(DynamicPropertyRegistry registry) throws IOException {
        int noCoordinator;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            noCoordinator = probe.getLocalPort();
        }
        registry.add("kv.cluster.secret", () -> SECRET);
        registry.add("kv.node.data-dir", () -> dirs.resolve("node").toString());
        registry.add("kv.node.id", () -> "node-fenced");
        registry.add("kv.coordinator.urls", () -> "http://127.0.0.1:" + noCoordinator);
        registry.add("kv.wal.fsync", () -> "off");
    }

    @Test
    void aNewerTermIsKeptDurablyBeforeItsCallRunsAndTheSameTermPassesAgain() throws IOException {
        long newer = terms.highest() + 1;

        ResponseEntity<String> info = get("/internal/node?term=" + newer);

        assertThat(info.getStatusCode().value()).isEqualTo(200);
        assertThat(json.readTree(info.getBody()).path("coordinatorTerm").asLong())
                .as("the call ran with its term already the node's").isEqualTo(newer);
        assertThat(TermStore.open(dirs.resolve("node"), Disk.REAL).highest()).as("kept across a reopen")
                .isEqualTo(newer);
        assertThat(get("/internal/node?term=" + newer).getStatusCode().value()).isEqualTo(200);
    }

    @Test
    void aStaleTermIsRefusedWith409BeforeAnyControllerAndChangesNothing() {
        long current = terms.highest() + 5;
        assertThat(get("/internal/node?term=" + current).getStatusCode().value()).isEqualTo(200);
        long stale = current - 1;

        List<ResponseEntity<String>> refused = List.of(
                post("/internal/txn/batch?term=" + stale, BatchJson.put("t-stale", "fenced/key", "from a deposed leader")),
                post("/internal/txn/batch?term=" + stale, BatchJson.commit("t-stale", 9)),
                post("/internal/kv/batch?term=" + stale, BatchJson.read("OWN", "fenced/key")),
                post("/internal/ranges/drop?term=" + stale, """
                        {"table":"OWN","ranges":[{"fromExclusive":0,"toInclusive":0}]}"""));

        assertThat(refused).allSatisfy(response -> {
            assertThat(response.getStatusCode().value()).isEqualTo(409);
            assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            JsonNode problem = json.readTree(response.getBody());
            assertThat(problem.path("type").asString()).isEqualTo("urn:kvstore:problem:stale-term").endsWith("stale-term");
            assertThat(problem.path("title").asString()).isEqualTo("Stale coordinator term");
            assertThat(problem.path("detail").asString()).isEqualTo("term " + stale + " is older than term " + current
                    + ", which this node has seen: the sender is no longer the coordinators' leader");
            assertThat(problem.path("currentTerm").isIntegralNumber()).isTrue();
            assertThat(problem.path("currentTerm").asLong()).isEqualTo(current);
            assertThat(response.getHeaders().getFirst("X-Kv-Current-Term")).isEqualTo(Long.toString(current));
        });
        assertThat(read("fenced/key").path("error").asString()).isEqualTo("KEY_NOT_FOUND");
        assertThat(get("/internal/txn/t-stale").getBody()).contains("UNKNOWN");
        assertThat(get("/internal/txn").getBody()).doesNotContain("t-stale");
        assertThat(terms.highest()).isEqualTo(current);
    }

    @Test
    void aCallNamingAnotherNodeIsRefusedWith421BeforeAnyControllerAndChangesNothing() {
        long before = terms.highest();

        List<ResponseEntity<String>> refused = List.of(
                post("/internal/txn/batch?term=" + (before + 1) + "&node=node-other",
                        BatchJson.put("t-misdirected", "misdirected/key", "meant for another node")),
                post("/internal/txn/t-misdirected/inquiry?node=node-other", ""),
                post("/internal/ranges/drop?node=node-fenced&node=node-other", """
                        {"table":"OWN","ranges":[{"fromExclusive":0,"toInclusive":0}]}"""));

        assertThat(refused).allSatisfy(response -> {
            assertThat(response.getStatusCode().value()).isEqualTo(421);
            JsonNode problem = json.readTree(response.getBody());
            assertThat(problem.path("type").asString()).isEqualTo("urn:kvstore:problem:wrong-node");
            assertThat(problem.path("detail").asString()).startsWith("this address serves node node-fenced, not node-other");
        });
        assertThat(get("/internal/txn/t-misdirected").getBody()).as("not even aborted by the inquiry").contains("UNKNOWN");
        assertThat(terms.highest()).as("its term not taken").isEqualTo(before);
        assertThat(vote(post("/internal/txn/batch?node=node-fenced", BatchJson.put("t-addressed", "addressed/key",
                "meant for it")))).isTrue();
    }

    @Test
    void aCallWithoutATermIsNotChecked() {
        get("/internal/node?term=" + (terms.highest() + 1));
        long before = terms.highest();

        assertThat(vote(post("/internal/txn/batch", BatchJson.put("t-unfenced", "unfenced/key", "from a node")))).isTrue();
        assertThat(BatchJson.reply(post("/internal/txn/batch", BatchJson.commit("t-unfenced", 3)).getBody())
                .path("outcome").path("state").asString()).isEqualTo("COMMITTED");

        assertThat(BatchJson.value(read("unfenced/key"))).isEqualTo("from a node");
        assertThat(terms.highest()).isEqualTo(before);
    }

    @Test
    void aMalformedTermIs400SayingWhatToSend() {
        long before = terms.highest();
        for (String query : List.of("term=abc", "term=0", "term=-3", "term=", "term", "term=1&term=2",
                "term=99999999999999999999", "term=1.5")) {
            ResponseEntity<String> response = get("/internal/node?" + query);

            assertThat(response.getStatusCode().value()).as(query).isEqualTo(400);
            assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            JsonNode problem = json.readTree(response.getBody());
            assertThat(problem.path("type").asString()).as(query).isEqualTo("urn:kvstore:problem:invalid-request");
            assertThat(problem.path("detail").asString()).as(query)
                    .contains("the query parameter term must appear once, as a positive whole number");
        }
        assertThat(terms.highest()).isEqualTo(before);
    }

    @Test
    void aTermTheSignatureDoesNotCoverIsRefusedAndNotKept() throws Exception {
        long before = terms.highest();
        String signedFor = "/internal/node?term=" + (before + 1);
        String sent = "/internal/node?term=" + (before + 1000);

        HttpResponse<String> forged = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node() + sent))
                .header("Authorization", signer.authorization("GET", signedFor, new byte[0])).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(terms.highest()).isEqualTo(before);
    }

    private String node() {
        return "http://127.0.0.1:" + port;
    }

    private ResponseEntity<String> get(String target) {
        return cluster.get().uri(URI.create(node() + target)).retrieve().toEntity(String.class);
    }

    private ResponseEntity<String> post(String target, String body) {
        return cluster.post().uri(URI.create(node() + target)).contentType(MediaType.APPLICATION_JSON).body(body)
                .retrieve().toEntity(String.class);
    }

    /** Whether the one prepare of the batch was voted yes. */
    private static boolean vote(ResponseEntity<String> batch) {
        return BatchJson.reply(batch.getBody()).path("vote").path("yes").asBoolean();
    }

    /** The reply to a read of {@code key} in the OWN table, without a term. */
    private JsonNode read(String key) {
        return BatchJson.reply(post("/internal/kv/batch", BatchJson.read("OWN", key)).getBody());
    }
}
