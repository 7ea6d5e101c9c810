package dev.kvstore.node;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The node jar as a real process: registration with a (fake) coordinator on the port it got,
 * two-phase commit over HTTP, then {@code kill -9} and a restart on the same data directory.
 */
class NodeProcessIT {

    private static final Pattern REGISTRATION = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\".*\"url\"\\s*:\\s*\"([^\"]+)\"");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dataDir;
    @TempDir
    Path logs;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final FakeCoordinator coordinator = new FakeCoordinator();
    private Process node;
    private int starts;

    @BeforeEach
    void startCoordinator() throws IOException {
        coordinator.start();
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        if (node != null && node.isAlive()) {
            node.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        coordinator.stop();
    }

    @Test
    void everyCommittedWriteSurvivesKillDashNineAndTheNodeComesBackAsItself() throws Exception {
        Registration first = startNode();
        String base = first.url();

        Map<String, String> committed = new ConcurrentHashMap<>();
        Set<String> deleted = ConcurrentHashMap.newKeySet();
        try (ExecutorService clients = Executors.newFixedThreadPool(16)) {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                int n = i;
                writes.add(clients.submit(() -> {
                    String key = "app/key-" + n;
                    String value = "value-" + n + "-" + "x".repeat(n % 50);
                    commit(base, "put-" + n, key, "PUT", value, n + 1);
                    committed.put(key, value);
                    if (n % 10 == 0) {
                        commit(base, "del-" + n, key, "DELETE", null, n + 1000);
                        committed.remove(key);
                        deleted.add(key);
                    }
                    return null;
                }));
            }
            for (Future<?> write : writes) {
                write.get(60, TimeUnit.SECONDS);
            }
        }
        assertThat(vote(post(base + "/internal/txn/batch", BatchJson.put("pending", "held", "maybe")))
                .path("yes").asBoolean()).isTrue();

        node.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        tearNewestSegment();
        Registration second = startNode();

        assertThat(second.id()).isEqualTo(first.id());
        List<String> keys = new ArrayList<>(committed.keySet());
        keys.addAll(deleted);
        JsonNode reads = BatchJson.replies(post(second.url() + "/internal/kv/batch", BatchJson.reads("OWN", keys)),
                keys.size());
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            JsonNode read = reads.get(i);
            if (deleted.contains(key)) {
                assertThat(read.path("error").asString()).as(key).isEqualTo("KEY_NOT_FOUND");
            } else {
                assertThat(read.hasNonNull("error")).as("%s: %s", key, read).isFalse();
                assertThat(BatchJson.value(read)).as(key).isEqualTo(committed.get(key));
                assertThat(read.path("contentType").asString()).as(key).isEqualTo("text/plain");
            }
        }
        assertThat(committed).hasSize(270);
        assertThat(get(second.url() + "/internal/txn/pending").body()).contains("PREPARED");
        assertThat(vote(post(second.url() + "/internal/txn/batch", BatchJson.put("other", "held", "no")))
                .path("reason").asString()).as("the transaction in doubt still holds its key").isEqualTo("LOCKED");
        assertThat(Files.readString(logs.resolve("node-2.log"))).contains("Write-ahead log damaged");
    }

    @Test
    void nodeRegistersAgainWhenTheCoordinatorForgetsIt() throws Exception {
        Registration first = startNode();

        coordinator.forget(first.id());

        Registration again = coordinator.registrations.poll(30, TimeUnit.SECONDS);
        assertThat(again).isEqualTo(first);
    }

    private void commit(String base, String txId, String key, String op, String value, long version)
            throws IOException, InterruptedException {
        JsonNode vote = vote(post(base + "/internal/txn/batch", BatchJson.prepare(txId, key, op, value)));
        assertThat(vote.path("yes").asBoolean()).as("%s", vote).isTrue();
        String outcome = post(base + "/internal/txn/batch", BatchJson.commit(txId, version));
        assertThat(BatchJson.reply(outcome).path("outcome").path("state").asString()).as(outcome).isEqualTo("COMMITTED");
    }

    /** The vote of a batch of one prepare. */
    private static JsonNode vote(String batchReply) {
        return BatchJson.reply(batchReply).path("vote");
    }

    /** What a crash in the middle of a write leaves: half a record at the end of the newest segment. */
    private void tearNewestSegment() throws IOException {
        Path newest;
        try (Stream<Path> files = Files.list(dataDir.resolve("wal"))) {
            newest = files.filter(p -> p.getFileName().toString().endsWith(".log"))
                    .max(Comparator.naturalOrder()).orElseThrow();
        }
        Files.write(newest, new byte[] {0, 0, 0, 42, 1, 2, 3}, StandardOpenOption.APPEND);
    }

    private Registration startNode() throws IOException, InterruptedException {
        starts++;
        Path log = logs.resolve("node-" + starts + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        node = new ProcessBuilder(java, "-Xmx256m", "-jar", System.getProperty("kv.node.jar"),
                "--kv.node.data-dir=" + dataDir,
                "--kv.coordinator.urls=" + coordinator.url(),
                "--kv.coordinator.heartbeat-interval=200ms",
                "--kv.cluster.insecure-dev=true",
                "--kv.wal.fsync=always")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Registration registration = coordinator.registrations.poll(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(registration).as("node registered within %s; its log: %s", START_TIMEOUT, log).isNotNull();
        assertThat(get(registration.url() + "/internal/node").body()).contains(registration.id());
        return registration;
    }

    private String post(String url, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    record Registration(String id, String url) {
    }

    /** Stands in for the coordinator's membership API: records registrations, answers heartbeats. */
    static final class FakeCoordinator {

        final BlockingQueue<Registration> registrations = new LinkedBlockingQueue<>();
        private final Set<String> known = ConcurrentHashMap.newKeySet();
        private HttpServer server;

        void start() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/nodes", this::handle);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        void forget(String id) {
            known.remove(id);
        }

        void stop() {
            server.stop(0);
        }

        private void handle(HttpExchange exchange) throws IOException {
            String path = exchange.getRequestURI().getPath();
            int status;
            if (exchange.getRequestMethod().equals("POST") && path.equals("/nodes")) {
                Matcher m = REGISTRATION.matcher(new String(exchange.getRequestBody().readAllBytes(), UTF_8));
                if (m.find()) {
                    known.add(m.group(1));
                    registrations.add(new Registration(m.group(1), m.group(2)));
                    status = 200;
                } else {
                    status = 400;
                }
            } else if (exchange.getRequestMethod().equals("PUT") && path.endsWith("/heartbeat")) {
                String id = path.substring("/nodes/".length(), path.length() - "/heartbeat".length());
                status = known.contains(id) ? 200 : 404;
            } else {
                status = 404;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        }
    }
}
