package dev.kvstore.coordinator.apikey;

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
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A real coordinator with three client keys (read, read-write given as its SHA-256, admin): requests
 * without a key or with an unknown one are 401, too little scope is 403, both problem+json saying what
 * to send; enough scope reaches the controller; probes, docs and the cluster's signed endpoints are as
 * without keys. (No nodes: a write that passes security is answered 503 by the controller.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "kv.cluster.secret=" + ApiKeysHttpTest.SECRET,
        "kv.membership.heartbeat-timeout=1h",
        "kv.security.api-keys[0].name=reader",
        "kv.security.api-keys[0].key=" + ApiKeysHttpTest.READ_KEY,
        "kv.security.api-keys[0].scope=READ",
        "kv.security.api-keys[1].name=writer",
        // printf %s writer-key-0123456789 | sha256sum
        "kv.security.api-keys[1].key-sha256=" + ApiKeysHttpTest.WRITE_KEY_SHA256,
        "kv.security.api-keys[1].scope=READ_WRITE",
        "kv.security.api-keys[2].name=operator",
        "kv.security.api-keys[2].key=" + ApiKeysHttpTest.ADMIN_KEY,
        "kv.security.api-keys[2].scope=ADMIN"})
class ApiKeysHttpTest {

    static final String SECRET = "api keys test cluster secret";
    static final String READ_KEY = "reader-key-0123456789";
    static final String WRITE_KEY = "writer-key-0123456789";
    static final String WRITE_KEY_SHA256 = "6ff86e74885f1f282beeb991bcff0eed7b657854df716be16a7287a2e77a7e68";
    static final String ADMIN_KEY = "admin-key-0123456789";

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Value("${local.server.port}")
    int port;

    @Test
    void theWriteKeyIsConfiguredByItsDigest() {
        assertThat(ApiKeys.sha256Hex(WRITE_KEY)).isEqualTo(WRITE_KEY_SHA256);
    }

    @Test
    void noKeyIs401ProblemWithABearerChallenge() throws Exception {
        HttpResponse<String> response = send("GET", "/kv/a", null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(response.body()).contains("\"status\":401", "send Authorization: Bearer <api key>");
        assertThat(send("GET", "/nodes", null).statusCode()).isEqualTo(401);
    }

    @Test
    void unknownKeyIs401AndSaysSo() throws Exception {
        HttpResponse<String> bearer = send("PUT", "/kv/a", "Bearer " + READ_KEY + "x");
        HttpResponse<String> header = send("GET", "/kv/a", null, "X-API-Key", "not-a-key-at-all");

        for (HttpResponse<String> response : java.util.List.of(bearer, header)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
            assertThat(response.body()).contains("not one this coordinator knows").doesNotContain(READ_KEY);
        }
    }

    @Test
    void readKeyReadsButWritingIs403NamingTheScopeNeeded() throws Exception {
        assertThat(send("GET", "/kv/a", "Bearer " + READ_KEY).statusCode()).isNotIn(401, 403);
        assertThat(send("GET", "/nodes", null, "X-API-Key", READ_KEY).statusCode()).isEqualTo(200);

        HttpResponse<String> put = send("PUT", "/kv/a", "Bearer " + READ_KEY);

        assertThat(put.statusCode()).isEqualTo(403);
        assertThat(put.headers().firstValue("Content-Type")).contains("application/problem+json");
        assertThat(put.body()).contains("'reader' has read scope", "needs read-write").doesNotContain(READ_KEY);
    }

    @Test
    void readWriteKeyWritesButOnlyAdminRemovesNodes() throws Exception {
        HttpResponse<String> put = send("PUT", "/kv/a", "bearer " + WRITE_KEY);

        assertThat(put.statusCode()).isEqualTo(503);
        assertThat(put.body()).contains("Replicas unavailable");
        assertThat(send("DELETE", "/nodes/no-such-node", "Bearer " + WRITE_KEY).statusCode()).isEqualTo(403);
        assertThat(send("DELETE", "/nodes/no-such-node", "Bearer " + ADMIN_KEY).statusCode()).isEqualTo(404);
    }

    @Test
    void probesMetricsAndApiDocsNeedNoKey() throws Exception {
        for (String path : java.util.List.of("/actuator/health/liveness", "/livez", "/actuator/prometheus",
                "/v3/api-docs/public", "/swagger-ui/index.html")) {
            assertThat(send("GET", path, null).statusCode()).as(path).isEqualTo(200);
        }
    }

    @Test
    void clusterEndpointsAreStillGovernedByTheClusterSignatureAlone() throws Exception {
        String body = "{\"id\":\"node-k\",\"url\":\"http://127.0.0.1:9\",\"instanceToken\":\"instance-token-of-node-k\"}";
        RequestSigner signer = new RequestSigner(ClusterKey.fromSecret(SECRET), Clock.systemUTC());

        HttpResponse<String> unsigned = sendBody("POST", "/nodes", body, null);
        HttpResponse<String> withOnlyAnApiKey = sendBody("POST", "/nodes", body, "Bearer " + ADMIN_KEY);
        HttpResponse<String> signed = sendBody("POST", "/nodes", body,
                signer.authorization("POST", "/nodes", body.getBytes(UTF_8)));

        assertThat(unsigned.statusCode()).isEqualTo(401);
        assertThat(unsigned.headers().firstValue("WWW-Authenticate")).contains("KV-HMAC");
        assertThat(withOnlyAnApiKey.statusCode()).isEqualTo(401);
        assertThat(withOnlyAnApiKey.headers().firstValue("WWW-Authenticate")).contains("KV-HMAC");
        assertThat(signed.statusCode()).isEqualTo(201);
        assertThat(send("GET", "/internal/txn/t1", signer.authorization("GET", "/internal/txn/t1", null)).body())
                .contains("UNKNOWN");
    }

    @Test
    void keysWithPercentSignsStillWork() throws Exception {
        assertThat(send("GET", "/kv/100%25", "Bearer " + READ_KEY).statusCode()).isNotIn(400, 401, 403);
    }

    private HttpResponse<String> send(String method, String path, String authorization, String... headers)
            throws IOException, InterruptedException {
        return sendBody(method, path, null, authorization, headers);
    }

    private HttpResponse<String> sendBody(String method, String path, String body, String authorization,
                                      String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
