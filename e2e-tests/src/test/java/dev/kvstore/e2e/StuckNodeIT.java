package dev.kvstore.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.e2e.LocalCluster.Response;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node that accepts connections and never answers (frozen with {@code kill -STOP}: the kernel
 * still completes TCP handshakes, the process reads nothing) cannot hang the coordinator. Requests
 * that need it get 503 with Retry-After within the node read timeout plus a margin; everything else
 * goes on; once the node is declared DOWN its keys fail over and take writes again; and when it
 * thaws it rejoins and every range has two copies again.
 *
 * <p>The coordinator's cache is one entry, so reads go to the nodes.
 */
class StuckNodeIT {

    private static final String VICTIM = "node-2";
    /** Far above the coordinator's 2 s read timeout: a request slower than this is a hang. */
    private static final Duration BOUND = Duration.ofSeconds(10);
    private static final Pattern RANGES = Pattern.compile("\"twoCopies\":(\\d+),\"oneCopy\":(\\d+),\"noCopy\":(\\d+)");
    private static final Pattern PHASE = Pattern.compile("\"phase\":\"([a-z-]+)\"");

    private static Path data;
    private static LocalCluster cluster;
    private static final HttpClient http = HttpClient.newHttpClient();
    private static final AtomicLong worstMillis = new AtomicLong();

    @BeforeAll
    static void up() throws Exception {
        data = Files.createTempDirectory("kv-stuck-");
        cluster = new LocalCluster(data, Map.of(
                "KV_COORDINATOR_ARGS", "--kv.cache.sets=1 --kv.cache.ways=1",
                "KV_NODE_ARGS", "--kv.wal.fsync=always",
                "KV_JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1"));
        cluster.up(3);
    }

    @AfterAll
    static void down() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void frozenNodeGetsItsRequestsAnswered503InBoundedTimeAndRejoinsWhenItThaws() throws Exception {
        Map<String, List<String>> placement = new LinkedHashMap<>();
        for (int i = 0; placement.size() < 90 && i < 1000; i++) {
            placement.put("stuck/key-" + i, cluster.placement("stuck/key-" + i));
        }
        List<String> primaryFrozen = keys(placement, p -> p.getFirst().equals(VICTIM));
        List<String> replicaFrozen = keys(placement, p -> p.get(1).equals(VICTIM));
        List<String> elsewhere = keys(placement, p -> !p.contains(VICTIM));
        assertThat(primaryFrozen).hasSizeGreaterThan(8);
        assertThat(replicaFrozen).hasSizeGreaterThan(8);
        assertThat(elsewhere).hasSizeGreaterThan(8);
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : placement.keySet()) {
            String value = "before-" + key;
            assertThat(cluster.put(key, value).status()).isEqualTo(201);
            values.put(key, value);
        }

        long pid = Long.parseLong(Files.readString(data.resolve("pids").resolve(VICTIM + ".pid")).strip());
        signal("STOP", pid);
        long frozenAt = System.nanoTime();
        try {
            // While the coordinator still believes the node UP: every call to it waits out the read timeout.
            ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();
            List<Future<Timed>> writesToFrozen = new ArrayList<>();
            for (String key : primaryFrozen.subList(0, 8)) {
                writesToFrozen.add(clients.submit(timed(() -> cluster.put(key, "during-" + key))));
            }
            for (String key : replicaFrozen.subList(0, 8)) {
                writesToFrozen.add(clients.submit(timed(() -> cluster.put(key, "during-" + key))));
            }
            // Four writers on one key queue on its lock behind calls to the frozen node.
            String contended = replicaFrozen.get(8);
            for (int i = 0; i < 4; i++) {
                writesToFrozen.add(clients.submit(timed(() -> cluster.put(contended, "contended"))));
            }
            List<Future<Timed>> writesElsewhere = new ArrayList<>();
            for (String key : elsewhere.subList(0, 8)) {
                writesElsewhere.add(clients.submit(timed(() -> cluster.put(key, "during-" + key))));
            }
            List<Future<Timed>> readsOfFrozenPrimary = new ArrayList<>();
            for (String key : primaryFrozen.subList(8, Math.min(16, primaryFrozen.size()))) {
                readsOfFrozenPrimary.add(clients.submit(timed(() -> cluster.get(key))));
            }

            for (Future<Timed> write : writesToFrozen) {
                Timed t = write.get();
                assertThat(t.response().status()).as("write to a key on the frozen node: %s", t).isEqualTo(503);
                assertThat(t.response().headers()).containsKey("retry-after");
                assertThat(t.response().headers().get("content-type").getFirst()).startsWith("application/problem+json");
            }
            for (Future<Timed> write : writesElsewhere) {
                Timed t = write.get();
                assertThat(t.response().status()).as("write to a key away from the frozen node: %s", t).isEqualTo(200);
            }
            int index = 8;
            for (Future<Timed> read : readsOfFrozenPrimary) {
                Timed t = read.get();
                String key = primaryFrozen.get(index++);
                assertThat(t.response().status()).as("read of %s, primary frozen: %s", key, t).isEqualTo(200);
                assertThat(t.response().body()).isEqualTo(values.get(key));
            }
            clients.close();
            elsewhere.subList(0, 8).forEach(key -> values.put(key, "during-" + key));

            // Declared DOWN after the heartbeat timeout (3 s), however long the calls to it take meanwhile;
            // then its keys fail over and take writes again.
            awaitThat("the frozen node is DOWN", Duration.ofSeconds(30), () -> state(VICTIM).equals("DOWN"));
            long downAfter = Duration.ofNanos(System.nanoTime() - frozenAt).toMillis();
            System.out.printf("StuckNodeIT: the frozen node was declared DOWN %d ms after the freeze%n", downAfter);
            assertThat(Duration.ofMillis(downAfter)).as("time to declare the frozen node DOWN")
                    .isLessThan(Duration.ofSeconds(15));
            String probe = primaryFrozen.getFirst();
            awaitThat("writes to the frozen node's keys succeed again", Duration.ofSeconds(120), () -> {
                Timed t = timed(() -> cluster.put(probe, "failed-over")).call();
                return t.response().status() == 200;
            });
            values.put(probe, "failed-over");
            System.out.printf("StuckNodeIT: writes to the frozen node's keys succeeded again %d ms after the freeze%n",
                    Duration.ofNanos(System.nanoTime() - frozenAt).toMillis());
            for (String key : replicaFrozen.subList(0, 4)) {
                Timed t = timed(() -> cluster.put(key, "after-failover-" + key)).call();
                assertThat(t.response().status()).as("write after failover: %s", t).isEqualTo(200);
                values.put(key, "after-failover-" + key);
            }
        } finally {
            signal("CONT", pid);
        }

        // Thawed, it heartbeats again, rejoins, and every range has two live copies.
        awaitThat("the thawed node is UP and every range has two copies", Duration.ofSeconds(180), () -> {
            String json = nodesJson();
            Matcher ranges = RANGES.matcher(json);
            Matcher phase = PHASE.matcher(json);
            return state(VICTIM).equals("UP") && ranges.find() && ranges.group(2).equals("0")
                    && ranges.group(3).equals("0") && phase.find() && phase.group(1).equals("idle");
        });
        for (Map.Entry<String, String> entry : values.entrySet()) {
            Response read = cluster.get(entry.getKey());
            assertThat(read.status()).as("read of %s after the node rejoined", entry.getKey()).isEqualTo(200);
            assertThat(read.body()).isEqualTo(entry.getValue());
        }
        String again = primaryFrozen.get(1);
        assertThat(cluster.put(again, "after-rejoin").status()).isEqualTo(200);
        assertThat(cluster.get(again).body()).isEqualTo("after-rejoin");
        System.out.printf("StuckNodeIT: the longest a client waited was %d ms%n", worstMillis.get());
    }

    // ---- helpers --------------------------------------------------------------------------------

    record Timed(Response response, long millis) {
    }

    /** Runs the request, records how long the client waited, and fails it past the bound. */
    private static Callable<Timed> timed(Callable<Response> request) {
        return () -> {
            long started = System.nanoTime();
            Response response = request.call();
            long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
            worstMillis.accumulateAndGet(millis, Math::max);
            assertThat(Duration.ofMillis(millis)).as("how long the client waited (%s)", response.status())
                    .isLessThan(BOUND);
            return new Timed(response, millis);
        };
    }

    private static List<String> keys(Map<String, List<String>> placement,
                                      Predicate<List<String>> where) {
        return placement.entrySet().stream().filter(e -> e.getValue().size() == 2 && where.test(e.getValue()))
                .map(Map.Entry::getKey).toList();
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -%s %d", signal, pid).isZero();
    }

    private static String nodesJson() throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(cluster.api() + "/nodes")).timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String state(String nodeId) throws Exception {
        return cluster.nodes().stream().filter(n -> n.id().equals(nodeId)).map(LocalCluster.Node::state)
                .findFirst().orElse("ABSENT");
    }

    @FunctionalInterface
    interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitThat(String what, Duration timeout, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + timeout + "; cluster: " + nodesJson());
            }
            Thread.sleep(250);
        }
    }
}
