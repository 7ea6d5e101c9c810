package dev.kvstore.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.kvstore.model.PrepareRequest;
import dev.kvstore.model.Table;
import dev.kvstore.model.WriteOp;
import dev.kvstore.node.participant.Participant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The node's operations endpoints on a real server: probes, health components, Prometheus meters and
 * info, with two coordinators configured: the first never answers (nothing listens on its port), the
 * second is a fake that refuses registrations until a test lets it accept them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ActuatorEndpointsTest {

    @TempDir
    static Path dataDir;
    static final FakeCoordinator coordinator = new FakeCoordinator();
    static final String DOWN_COORDINATOR = "http://127.0.0.1:" + unusedPort();

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final JsonMapper json = JsonMapper.builder().build();

    @Value("${local.server.port}")
    int port;
    @Autowired
    Participant participant;

    @DynamicPropertySource
    static void node(DynamicPropertyRegistry registry) {
        registry.add("kv.node.data-dir", () -> dataDir.resolve("node").toString());
        registry.add("kv.node.id", () -> "node-ops");
        registry.add("kv.coordinator.urls", () -> DOWN_COORDINATOR + "," + coordinator.url());
        registry.add("kv.coordinator.heartbeat-interval", () -> "100ms");
        registry.add("kv.cluster.secret", () -> "actuator-test-secret-of-a-reasonable-length-0123456789");
    }

    @AfterAll
    static void stopCoordinator() {
        coordinator.stop();
    }

    @Test
    void livenessIsUpWhateverTheCoordinatorSays() throws Exception {
        HttpResponse<String> liveness = get("/actuator/health/liveness");

        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(json.readTree(liveness.body()).path("status").asString()).isEqualTo("UP");
        assertThat(get("/livez").statusCode()).isEqualTo(200);
    }

    @Test
    void readyOnlyOnceTheCoordinatorAcceptedTheRegistration() throws Exception {
        HttpResponse<String> refused = get("/actuator/health/readiness");
        assertThat(refused.statusCode()).isEqualTo(503);
        JsonNode components = json.readTree(refused.body()).path("components");
        assertThat(components.path("registration").path("status").asString()).isEqualTo("OUT_OF_SERVICE");
        assertThat(components.path("wal").path("status").asString()).isEqualTo("UP");
        assertThat(components.path("readinessState").path("status").asString()).isEqualTo("UP");

        coordinator.accepting = true;

        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        HttpResponse<String> ready = get("/actuator/health/readiness");
        while (ready.statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            ready = get("/actuator/health/readiness");
        }
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
        JsonNode registration = json.readTree(get("/actuator/health").body()).path("components")
                .path("registration").path("details");
        assertThat(registration.path("coordinator").asString()).as("the coordinator that answered")
                .isEqualTo(coordinator.url());
    }

    @Test
    void healthShowsTheLogTheDiskAndTheRegistrationWithDetails() throws Exception {
        JsonNode components = json.readTree(get("/actuator/health").body()).path("components");

        assertThat(components.path("wal").path("details").path("segment").asString()).startsWith("wal-");
        JsonNode disk = components.path("disk");
        assertThat(disk.path("status").asString()).isEqualTo("UP");
        assertThat(disk.path("details").path("path").asString())
                .isEqualTo(dataDir.resolve("node").toAbsolutePath().toString());
        assertThat(disk.path("details").path("highWatermark").asString()).isEqualTo("5%");
        assertThat(components.has("diskSpace")).as("Spring's own indicator is replaced").isFalse();
        JsonNode registration = components.path("registration").path("details");
        assertThat(registration.path("nodeId").asString()).isEqualTo("node-ops");
        assertThat(registration.path("coordinators").valueStream().map(JsonNode::asString))
                .containsExactly(DOWN_COORDINATOR, coordinator.url());
    }

    @Test
    void prometheusShowsTheLogParticipantAndStorageMeters() throws Exception {
        PrepareRequest put = new PrepareRequest("k", Table.OWN, WriteOp.PUT, "v".getBytes(StandardCharsets.UTF_8),
                "text/plain", null, List.of());
        participant.prepare("t1", put);
        participant.commit("t1", 5);

        HttpResponse<String> scrape = get("/actuator/prometheus");

        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("kv_wal_fsyncs_total", "kv_wal_fsync_seconds_bucket",
                "kv_wal_batch_size_count", "kv_wal_bytes_total", "kv_wal_segments", "kv_wal_appends_total",
                "kv_participant_prepares_total{vote=\"yes\"}", "kv_participant_commits_total",
                "kv_participant_aborts_total", "kv_participant_in_doubt", "kv_storage_keys{table=\"own\"}",
                "kv_storage_keys{table=\"prev\"}", "kv_node_coordinator_term");
    }

    @Test
    void infoHasTheBuildVersionAndWhoThisNodeIs() throws Exception {
        JsonNode info = json.readTree(get("/actuator/info").body());

        assertThat(info.path("build").path("version").asString()).isNotBlank();
        JsonNode node = info.path("node");
        assertThat(node.path("id").asString()).isEqualTo("node-ops");
        assertThat(node.path("url").asString()).isEqualTo("http://127.0.0.1:" + port);
        assertThat(node.path("dataDir").asString()).isEqualTo(dataDir.resolve("node").toAbsolutePath().toString());
        assertThat(node.path("ring").path("epoch").asLong()).isZero();
        assertThat(node.path("coordinatorTerm").isIntegralNumber()).isTrue();
    }

    private static int unusedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Answers registrations and heartbeats 503 until {@link #accepting}, then 200. */
    static final class FakeCoordinator {
        volatile boolean accepting;
        private final HttpServer server;

        FakeCoordinator() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/nodes", exchange -> {
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(accepting ? 200 : 503, -1);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        void stop() {
            server.stop(0);
        }
    }
}
