package dev.kvstore.node.security;

import dev.kvstore.web.security.SigningInterceptor;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.auth.ClusterKey;
import dev.kvstore.auth.RequestSigner;
import dev.kvstore.node.BatchJson;
import dev.kvstore.node.NodeApplication;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

/**
 * A real node with a cluster secret: its {@code /internal} API answers only requests signed with that
 * secret, refuses everything else with 401 before any of it is processed, and its own calls to peers
 * are signed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class ClusterAuthHttpTest {

    static final String SECRET = "node test secret, long enough";
    static final int NO_COORDINATOR = unusedPort();

    @TempDir
    static Path dirs;
    static ConfigurableApplicationContext peer;
    static String peerUrl;

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final RequestSigner signer = new RequestSigner(ClusterKey.fromSecret(SECRET), Clock.systemUTC());

    @Value("${local.server.port}")
    int port;

    @DynamicPropertySource
    static void securedNode(DynamicPropertyRegistry registry) {
        registry.add("kv.cluster.secret", () -> SECRET);
        registry.add("kv.node.data-dir", () -> dirs.resolve("node").toString());
        registry.add("kv.node.id", () -> "node-secured");
        registry.add("kv.coordinator.urls", () -> "http://127.0.0.1:" + NO_COORDINATOR);
        registry.add("kv.wal.fsync", () -> "off");
        registry.add("kv.wal.max-record-size", () -> "2MB");
    }

    /** A second node with the same secret, for this node to pull a range from. */
    @BeforeAll
    static void startPeer() {
        peer = new SpringApplicationBuilder(NodeApplication.class).run("--server.port=0",
                "--kv.cluster.secret=" + SECRET, "--kv.node.data-dir=" + dirs.resolve("peer"), "--kv.node.id=node-peer",
                "--kv.coordinator.urls=http://127.0.0.1:" + NO_COORDINATOR, "--kv.wal.fsync=off");
        peerUrl = "http://127.0.0.1:" + peer.getEnvironment().getProperty("local.server.port");
    }

    @AfterAll
    static void stopPeer() {
        if (peer != null) {
            peer.close();
        }
    }

    @Test
    void refusedPreparesAre401ProblemsAndLockNothing() throws Exception {
        String body = BatchJson.put("t-refused", "app/locked?", "first");
        RequestSigner otherSecret = new RequestSigner(ClusterKey.fromSecret("some other secret entirely"),
                Clock.systemUTC());
        RequestSigner slowClock = new RequestSigner(ClusterKey.fromSecret(SECRET),
                Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-5)));
        String path = "/internal/txn/batch";

        List<HttpResponse<String>> refused = List.of(
                send("POST", path, body, null),
                send("POST", path, body, otherSecret.authorization("POST", path, body.getBytes(UTF_8))),
                send("POST", path, body, slowClock.authorization("POST", path, body.getBytes(UTF_8))),
                send("POST", path, BatchJson.put("t-refused", "app/locked?", "tampered"),
                        signer.authorization("POST", path, body.getBytes(UTF_8))));

        assertThat(refused).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(response.headers().firstValue("WWW-Authenticate")).contains("KV-HMAC");
            assertThat(response.body()).contains("\"title\":\"Unauthorized\"").doesNotContain(SECRET);
        });
        assertThat(refused.get(0).body()).contains("Authorization");
        assertThat(refused.get(1).body()).contains("signature does not match");
        assertThat(refused.get(2).body()).containsPattern("signed 30[01] s ago");
        assertThat(refused.get(3).body()).contains("signature does not match");
        assertThat(signed("GET", "/internal/txn/t-refused", null).body()).contains("UNKNOWN");
        assertThat(vote(signed("POST", "/internal/txn/batch", BatchJson.put("t-signed", "app/locked?", "second")).body()))
                .as("no refused prepare holds the key").isTrue();
    }

    @Test
    void signedWriteAndReadOfAnAwkwardKeySucceed() {
        String key = "app/db url+€%?&=#";
        RestClient client = RestClient.builder()
                .requestFactory(new JdkClientHttpRequestFactory(HttpClient.newHttpClient()))
                .requestInterceptor(new SigningInterceptor(signer)).build();

        String vote = client.post().uri(node() + "/internal/txn/batch").contentType(MediaType.APPLICATION_JSON)
                .body(BatchJson.put("t-awkward", key, "value")).retrieve().body(String.class);
        String commit = client.post().uri(node() + "/internal/txn/batch").contentType(MediaType.APPLICATION_JSON)
                .body(BatchJson.commit("t-awkward", 7)).retrieve().body(String.class);
        String read = client.post().uri(node() + "/internal/kv/batch").contentType(MediaType.APPLICATION_JSON)
                .body(BatchJson.read("OWN", key)).retrieve().body(String.class);

        assertThat(vote(vote)).isTrue();
        assertThat(BatchJson.reply(commit).path("outcome").path("state").asString()).isEqualTo("COMMITTED");
        assertThat(BatchJson.value(BatchJson.reply(read))).isEqualTo("value");
    }

    @Test
    void rangeCopyIsPulledFromThePeerWithASignedRequest() throws Exception {
        assertThat(vote(post(peerUrl, "/internal/txn/batch", BatchJson.put("p1", "copied/key", "from the peer"))))
                .isTrue();
        assertThat(BatchJson.reply(post(peerUrl, "/internal/txn/batch", BatchJson.commit("p1", 11)))
                .path("outcome").path("state").asString()).isEqualTo("COMMITTED");

        HttpResponse<String> copy = signed("POST", "/internal/ranges/copy", """
                {"sourceUrl":"%s","sourceTable":"OWN","targetTable":"PREV","ranges":[{"fromExclusive":0,"toInclusive":0}]}"""
                .formatted(peerUrl));

        assertThat(copy.statusCode()).as(copy.body()).isEqualTo(200);
        assertThat(copy.body()).contains("\"keys\":1");
        assertThat(BatchJson.value(BatchJson.reply(
                signed("POST", "/internal/kv/batch", BatchJson.read("PREV", "copied/key")).body())))
                .isEqualTo("from the peer");
    }

    @Test
    void rangeOperationIsAcceptedOnceButATransactionCallMayBeRepeated() throws Exception {
        String drop = "{\"table\":\"PREV\",\"ranges\":[{\"fromExclusive\":5,\"toInclusive\":6}]}";
        String dropAuth = signer.authorization("POST", "/internal/ranges/drop", drop.getBytes(UTF_8));
        String prepare = BatchJson.put("t-replayed", "app/replayed", "v");
        String prepareAuth = signer.authorization("POST", "/internal/txn/batch", prepare.getBytes(UTF_8));

        assertThat(send("POST", "/internal/ranges/drop", drop, dropAuth).statusCode()).isEqualTo(200);
        HttpResponse<String> replayedDrop = send("POST", "/internal/ranges/drop", drop, dropAuth);
        assertThat(vote(send("POST", "/internal/txn/batch", prepare, prepareAuth).body())).isTrue();
        HttpResponse<String> replayedPrepare = send("POST", "/internal/txn/batch", prepare, prepareAuth);

        assertThat(replayedDrop.statusCode()).isEqualTo(401);
        assertThat(replayedDrop.body()).contains("already accepted once");
        assertThat(replayedPrepare.statusCode()).isEqualTo(200);
        assertThat(vote(replayedPrepare.body())).as("a repeated prepare repeats its vote").isTrue();
    }

    @Test
    void bodyOverTheLimitIs413WhetherDeclaredOrStreamed() throws Exception {
        byte[] big = new byte[3 * 1024 * 1024];
        HttpResponse<String> declared = http.send(HttpRequest.newBuilder(URI.create(node() + "/internal/ranges/count"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(URI.create(node() + "/internal/ranges/count"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(List.of(declared, chunked)).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(response.body()).contains("at most 2097152 bytes");
        });
    }

    @Test
    void pathsThatOnlyLookDifferentAreProtectedToo() throws Exception {
        for (String path : List.of("/internal/tables/own", "//internal/tables/own", "/internal/./tables/own",
                "/internal;x=1/tables/own", "/internal/tables/own;x=1", "/internal/tables/own/", "/internal/node")) {
            HttpResponse<String> response = send("GET", path, null, null);
            assertThat(response.statusCode()).as(path).isIn(400, 401, 404);
            assertThat(response.body()).as(path).doesNotContain("\"key\"").doesNotContain("node-secured");
        }
    }

    @Test
    void healthAndApiDocsNeedNoSignature() throws Exception {
        // Liveness: the whole health is 503 here, as this node never registers with a coordinator.
        assertThat(send("GET", "/actuator/health/liveness", null, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/v3/api-docs", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void refusalIsLoggedWithMethodPathRemoteAddressAndReason(CapturedOutput output) throws Exception {
        send("GET", "/internal/node", null, "Bearer guess");

        assertThat(output.getOut()).contains("nodeId=node-secured refused GET /internal/node from 127.0.0.1: MALFORMED");
    }

    private String node() {
        return "http://127.0.0.1:" + port;
    }

    /** Whether the one prepare of a batch reply was voted yes. */
    private static boolean vote(String batchReply) {
        return BatchJson.reply(batchReply).path("vote").path("yes").asBoolean();
    }

    private HttpResponse<String> signed(String method, String target, String body) throws Exception {
        return send(method, target, body,
                signer.authorization(method, target, body == null ? new byte[0] : body.getBytes(UTF_8)));
    }

    private String post(String base, String target, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + target))
                .header("Content-Type", "application/json")
                .header("Authorization", signer.authorization("POST", target, body.getBytes(UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private HttpResponse<String> send(String method, String target, String body, String authorization)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node() + target))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int unusedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
