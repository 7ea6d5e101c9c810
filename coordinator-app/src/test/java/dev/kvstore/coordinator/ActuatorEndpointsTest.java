package dev.kvstore.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.coordinator.membership.Membership;
import dev.kvstore.coordinator.ring.HashRing;
import dev.kvstore.coordinator.ring.RingHolder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The coordinator's operations endpoints on a real server with no real nodes: probes, health
 * components, Prometheus meters and info. Membership runs on a clock the test moves, so "a node's
 * heartbeats stopped" happens exactly when the test says. Ordered: the last test forms a ring.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "kv.cluster.secret=actuator-test-secret-of-a-reasonable-length-0123456789")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ActuatorEndpointsTest {

    private static final List<ServerSocket> silentNodes = new ArrayList<>();

    @TestConfiguration
    static class FrozenTime {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock();
        }
    }

    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final JsonMapper json = JsonMapper.builder().build();

    @Value("${local.server.port}")
    int port;
    @Autowired
    MutableClock clock;
    @Autowired
    Membership membership;
    @Autowired
    RingHolder ring;

    @Test
    @Order(1)
    void livenessIsUpWithoutAnyNode() throws Exception {
        HttpResponse<String> liveness = get("/actuator/health/liveness");

        assertThat(liveness.statusCode()).as(liveness.body()).isEqualTo(200);
        assertThat(status(liveness)).isEqualTo("UP");
        assertThat(get("/livez").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void infoHasTheBuildVersionAndTheRing() throws Exception {
        JsonNode info = json.readTree(get("/actuator/info").body());

        assertThat(info.path("build").path("version").asString()).isNotBlank();
        JsonNode ringInfo = info.path("ring");
        assertThat(ringInfo.path("formed").asBoolean(true)).isFalse();
        assertThat(ringInfo.path("size").asInt(-1)).isZero();
        assertThat(ringInfo.path("virtualNodes").asInt()).isEqualTo(512);
        assertThat(ringInfo.path("epoch").isNumber()).isTrue();
    }

    @Test
    @Order(3)
    void prometheusTimesARefusedWriteAsUnavailableAndShowsEveryClusterMeter() throws Exception {
        HttpResponse<String> refused = send("PUT", "/kv/some/key", "value");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);

        HttpResponse<String> scrape = get("/actuator/prometheus");

        assertThat(scrape.statusCode()).as(scrape.body()).isEqualTo(200);
        assertThat(scrape.body())
                .containsPattern("kv_requests_seconds_count\\{[^}]*operation=\"put\",outcome=\"unavailable\"[^}]*} 1")
                .contains("kv_requests_seconds_bucket", "kv_cache_hits_total", "kv_cache_misses_total",
                        "kv_cache_evictions_total", "kv_cache_size", "kv_txn_commits_total", "kv_txn_aborts_total",
                        "kv_txn_phase_seconds_bucket", "kv_txn_in_flight", "kv_txn_unacknowledged",
                        "kv_nodes{state=\"up\"}", "kv_nodes{state=\"down\"}", "kv_nodes{state=\"joining\"}",
                        "kv_nodes{state=\"leaving\"}", "kv_ring_ranges{copies=\"2\"}", "kv_ring_ranges{copies=\"0\"}",
                        "kv_ring_size", "kv_ring_epoch", "kv_migration_active", "kv_migration_steps_planned",
                        "kv_migration_steps_done", "kv_migration_keys_planned", "kv_migration_keys_moved");
    }

    @Test
    @Order(4)
    void readyOnceTheRingHasFormedAndStillReadyWithOneCopyOfSomeRanges() throws Exception {
        HttpResponse<String> noRing = get("/actuator/health/readiness");
        assertThat(noRing.statusCode()).as(noRing.body()).isEqualTo(503);
        assertThat(json.readTree(noRing.body()).path("components").path("ring").path("status").asString())
                .isEqualTo("DOWN");

        List<String> nodes = List.of("node-a", "node-b", "node-c");
        // These ports accept connections and never answer (a refused one would prove the node gone): the
        // rebalancer's attempts to re-replicate time out and the ring stays.
        for (String id : nodes) {
            ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            silentNodes.add(silent);
            membership.register(id, "http://127.0.0.1:" + silent.getLocalPort());
        }
        ring.publish(HashRing.of(nodes, 512));

        HttpResponse<String> formed = get("/actuator/health/readiness");
        assertThat(formed.statusCode()).as(formed.body()).isEqualTo(200);
        assertThat(status(formed)).isEqualTo("UP");

        // The reaper's rounds as the time passes, each half a second after the last: one that came
        // seconds late would take it that the coordinator itself had been paused.
        for (int round = 0; round < 8; round++) {
            clock.advance(Duration.ofMillis(500));
            membership.heartbeat("node-a");
            membership.heartbeat("node-b");
            membership.reap();
        }

        HttpResponse<String> degraded = get("/actuator/health/readiness");
        assertThat(degraded.statusCode()).as(degraded.body()).isEqualTo(200);
        assertThat(status(degraded)).isEqualTo("DEGRADED");
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
        JsonNode health = json.readTree(get("/actuator/health").body()).path("components");
        assertThat(health.path("nodes").path("details").path("nodes").path("node-c").path("state").asString())
                .isEqualTo("DOWN");
        assertThat(health.path("ring").path("details").path("ranges").path("oneCopy").asLong()).isPositive();
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
    }

    private static String status(HttpResponse<String> response) {
        return json.readTree(response.body()).path("status").asString();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, publisher).build(), HttpResponse.BodyHandlers.ofString());
    }

    @AfterAll
    static void closeSilentNodes() throws IOException {
        for (ServerSocket silent : silentNodes) {
            silent.close();
        }
    }
}
