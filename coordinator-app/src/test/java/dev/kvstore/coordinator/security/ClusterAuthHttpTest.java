package dev.kvstore.coordinator.security;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.auth.ClusterKey;
import dev.kvstore.auth.RequestSigner;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.web.client.RestClient;

/**
 * A real coordinator with a cluster secret: registration, heartbeats and {@code /internal} answer only
 * signed requests and refuse the rest with 401 without changing anything; the client and operator API
 * stay open; its own calls to nodes are signed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"kv.cluster.secret=" + ClusterAuthHttpTest.SECRET, "kv.membership.heartbeat-timeout=1h"})
class ClusterAuthHttpTest {

    static final String SECRET = "coordinator test secret, long enough";
    private static final String TOKEN_A = "instance-token-of-node-a";

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final RequestSigner signer = new RequestSigner(ClusterKey.fromSecret(SECRET), Clock.systemUTC());

    @Value("${local.server.port}")
    int port;
    @Autowired
    @Qualifier("nodeRestClient")
    RestClient nodeRestClient;

    @Test
    void refusedRegistrationsAre401ProblemsAndRegisterNothing() throws Exception {
        String body = registration("node-refused", "http://127.0.0.1:1", null);
        RequestSigner otherSecret = new RequestSigner(ClusterKey.fromSecret("some other secret entirely"),
                Clock.systemUTC());
        RequestSigner slowClock = new RequestSigner(ClusterKey.fromSecret(SECRET),
                Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-2)));

        List<HttpResponse<String>> refused = List.of(
                send("POST", "/nodes", body, null),
                send("POST", "/nodes", body, otherSecret.authorization("POST", "/nodes", body.getBytes(UTF_8))),
                send("POST", "/nodes", body, slowClock.authorization("POST", "/nodes", body.getBytes(UTF_8))),
                send("POST", "/nodes", registration("node-refused", "http://127.0.0.1:2", null),
                        signer.authorization("POST", "/nodes", body.getBytes(UTF_8))));

        assertThat(refused).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(response.headers().firstValue("WWW-Authenticate")).contains("KV-HMAC");
            assertThat(response.body()).contains("\"title\":\"Unauthorized\"").doesNotContain(SECRET);
        });
        assertThat(send("GET", "/nodes", null, null).body()).doesNotContain("node-refused");
    }

    @Test
    void signedRegistrationAndHeartbeatsAreAcceptedUnsignedHeartbeatsAreNot() throws Exception {
        assertThat(signed("POST", "/nodes", registration("node-signed", "http://127.0.0.1:3", null)).statusCode())
                .isEqualTo(201);

        assertThat(signed("PUT", "/nodes/node-signed/heartbeat", null).statusCode()).isEqualTo(204);
        assertThat(send("PUT", "/nodes/node-signed/heartbeat", null, null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/nodes", null, null).body()).contains("node-signed");
    }

    @Test
    void replayedHeartbeatIsRefused() throws Exception {
        signed("POST", "/nodes", registration("node-replayed", "http://127.0.0.1:4", null));
        String auth = signer.authorization("PUT", "/nodes/node-replayed/heartbeat", new byte[0]);

        assertThat(send("PUT", "/nodes/node-replayed/heartbeat", null, auth).statusCode()).isEqualTo(204);
        HttpResponse<String> replay = send("PUT", "/nodes/node-replayed/heartbeat", null, auth);

        assertThat(replay.statusCode()).isEqualTo(401);
        assertThat(replay.body()).contains("already accepted once");
    }

    @Test
    void idUpAtAnotherUrlIs409UnlessTheSameNodeComesBack() throws Exception {
        assertThat(signed("POST", "/nodes", registration("node-a", "http://127.0.0.1:5", TOKEN_A)).statusCode())
                .isEqualTo(201);

        HttpResponse<String> intruder = signed("POST", "/nodes",
                registration("node-a", "http://127.0.0.1:6", "instance-token-of-another"));
        HttpResponse<String> restarted = signed("POST", "/nodes", registration("node-a", "http://127.0.0.1:7", TOKEN_A));

        assertThat(intruder.statusCode()).isEqualTo(409);
        assertThat(intruder.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(intruder.body()).contains("node id already in use by http://127.0.0.1:5");
        assertThat(restarted.statusCode()).isEqualTo(200);
        assertThat(send("GET", "/nodes", null, null).body()).contains("http://127.0.0.1:7")
                .doesNotContain("http://127.0.0.1:6").doesNotContain(TOKEN_A);
    }

    @Test
    void decisionLookupNeedsASignature() throws Exception {
        assertThat(send("GET", "/internal/txn/t1", null, null).statusCode()).isEqualTo(401);
        assertThat(signed("GET", "/internal/txn/t1", null).body()).contains("UNKNOWN");
        for (String path : List.of("//internal/txn/t1", "/internal/./txn/t1", "/internal;x=1/txn/t1", "/%69nternal/txn/t1")) {
            HttpResponse<String> response = send("GET", path, null, null);
            assertThat(response.statusCode()).as(path).isIn(400, 401, 404);
            assertThat(response.body()).as(path).doesNotContain("UNKNOWN");
        }
        assertThat(send("POST", "//nodes", registration("node-sneaky", "http://127.0.0.1:8", null), null).statusCode())
                .isIn(400, 401, 404);
        assertThat(send("GET", "/nodes", null, null).body()).doesNotContain("node-sneaky");
    }

    @Test
    void nodeLookupNeedsASignatureWhileTheOperatorsSettlementDoesNot() throws Exception {
        signed("POST", "/nodes", registration("node-located", "http://127.0.0.1:9", null));

        assertThat(send("GET", "/internal/nodes/node-located", null, null).statusCode()).isEqualTo(401);
        assertThat(signed("GET", "/internal/nodes/node-located", null).body()).contains("http://127.0.0.1:9");
        assertThat(send("POST", "/nodes/node-unknown/transactions/t1", "{\"outcome\":\"ABORTED\"}", null)
                .statusCode()).as("past the signature check, refused for the unknown node").isEqualTo(404);
    }

    @Test
    void theCoordinatorsOwnNodeClientSignsWhatItSends() {
        String txId = "tx with spaces, ü and %";

        String status = nodeRestClient.get()
                .uri(base() + "/internal/txn/{txId}?table={table}&key={key}", txId, "own", "app/db url+€&=?")
                .retrieve().body(String.class);

        assertThat(status).contains("UNKNOWN");
    }

    @Test
    void clientAndOperatorCallsNeedNoSignature() throws Exception {
        assertThat(send("GET", "/nodes", null, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/nodes/placement?key=a", null, null).statusCode()).isNotEqualTo(401);
        assertThat(send("DELETE", "/nodes/no-such-node", null, null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/kv/some/key", null, null).statusCode()).isNotEqualTo(401);
        assertThat(send("GET", "/actuator/health", null, null).statusCode()).isNotEqualTo(401);
        assertThat(send("GET", "/v3/api-docs", null, null).statusCode()).isEqualTo(200);
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    private static String registration(String id, String url, String token) {
        return token == null ? "{\"id\":\"%s\",\"url\":\"%s\"}".formatted(id, url)
                : "{\"id\":\"%s\",\"url\":\"%s\",\"instanceToken\":\"%s\"}".formatted(id, url, token);
    }

    private HttpResponse<String> signed(String method, String target, String body) throws Exception {
        return send(method, target, body,
                signer.authorization(method, target, body == null ? new byte[0] : body.getBytes(UTF_8)));
    }

    private HttpResponse<String> send(String method, String target, String body, String authorization)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + target))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
