package dev.kvstore.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.e2e.LocalCluster.Node;
import dev.kvstore.e2e.LocalCluster.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A coordinator and three nodes as real processes, started with {@code bin/cluster}. The cache is
 * made tiny so that most reads go to the nodes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final int KEYS = 200;
    private static LocalCluster cluster;
    /** What every key must hold: its last acknowledged write (null when deleted). */
    private static final Map<String, Acked> expected = new ConcurrentHashMap<>();

    record Acked(long version, String value) {
    }

    @BeforeAll
    static void up() throws Exception {
        Path data = Files.createTempDirectory("kv-e2e-");
        cluster = new LocalCluster(data, Map.of(
                "KV_COORDINATOR_ARGS", "--kv.cache.sets=8 --kv.cache.ways=2",
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

    private static String key(int i) {
        return "e2e/key-" + i;
    }

    @Test
    @Order(1)
    void apiAnswersAsDocumented() throws Exception {
        assertThat(cluster.nodes()).extracting(Node::state).containsExactly("UP", "UP", "UP");

        Response created = cluster.put("docs/app/db/url", "jdbc:h2:mem");
        assertThat(created.status()).isEqualTo(201);
        Response read = cluster.get("docs/app/db/url");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).isEqualTo("jdbc:h2:mem");
        assertThat(read.etag()).isEqualTo(created.etag());
        assertThat(read.headers().get("content-type")).containsExactly("text/plain");

        Response replaced = cluster.put("docs/app/db/url", "jdbc:pg");
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.version()).isGreaterThan(created.version());

        assertThat(cluster.put("docs/app/db/url", "x", "If-None-Match", "*").status()).isEqualTo(412);
        assertThat(cluster.put("docs/app/db/url", "x", "If-Match", created.etag()).status()).isEqualTo(412);
        Response cas = cluster.put("docs/app/db/url", "jdbc:cas", "If-Match", replaced.etag());
        assertThat(cas.status()).isEqualTo(200);
        assertThat(cluster.get("docs/app/db/url").body()).isEqualTo("jdbc:cas");

        Response deleted = cluster.delete("docs/app/db/url");
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.version()).isGreaterThan(cas.version());
        assertThat(cluster.get("docs/app/db/url").status()).isEqualTo(404);
        assertThat(cluster.delete("docs/app/db/url").status()).isEqualTo(404);
        Response recreated = cluster.put("docs/app/db/url", "again");
        assertThat(recreated.status()).isEqualTo(201);
        assertThat(recreated.version()).as("versions keep increasing across a delete").isGreaterThan(deleted.version());

        Response tooLarge = cluster.put("docs/big", "x".repeat(1024 * 1024 + 1));
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.headers().get("content-type")).containsExactly("application/problem+json");
        assertThat(cluster.put("docs/bad", "x", "If-Match", "yesterday").status()).isEqualTo(400);
    }

    @Test
    @Order(2)
    void concurrentClientsLeaveEveryKeyAtItsLastAcknowledgedWriteOnBothReplicas() throws Exception {
        int operations = 5_000;
        AtomicInteger issued = new AtomicInteger();
        Map<String, Set<String>> written = new ConcurrentHashMap<>();
        Map<String, List<Acked>> acknowledged = new ConcurrentHashMap<>();
        List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> phantom = java.util.Collections.synchronizedList(new ArrayList<>());

        try (ExecutorService clients = Executors.newFixedThreadPool(32)) {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < 32; c++) {
                int client = c;
                running.add(clients.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int n; (n = issued.getAndIncrement()) < operations; ) {
                        String key = key(random.nextInt(KEYS));
                        int dice = random.nextInt(100);
                        if (dice < 50) {
                            String value = "c" + client + "-op" + n;
                            written.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(value);
                            Response r = cluster.put(key, value);
                            if (r.status() == 200 || r.status() == 201) {
                                acknowledged.computeIfAbsent(key, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                                        .add(new Acked(r.version(), value));
                            } else {
                                unexpected.add("PUT " + key + " -> " + r.status() + " " + r.body());
                            }
                        } else if (dice < 85) {
                            Response r = cluster.get(key);
                            if (r.status() == 200) {
                                if (!written.getOrDefault(key, Set.of()).contains(r.body())) {
                                    phantom.add("GET " + key + " returned " + r.body() + ", never written");
                                }
                            } else if (r.status() != 404) {
                                unexpected.add("GET " + key + " -> " + r.status() + " " + r.body());
                            }
                        } else {
                            Response r = cluster.delete(key);
                            if (r.status() == 204) {
                                acknowledged.computeIfAbsent(key, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                                        .add(new Acked(r.version(), null));
                            } else if (r.status() != 404) {
                                unexpected.add("DELETE " + key + " -> " + r.status() + " " + r.body());
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> client : running) {
                client.get(5, TimeUnit.MINUTES);
            }
        }

        assertThat(unexpected).as("unexpected errors").isEmpty();
        assertThat(phantom).as("reads of values never written").isEmpty();
        acknowledged.forEach((key, acks) -> expected.put(key,
                acks.stream().max(java.util.Comparator.comparingLong(Acked::version)).orElseThrow()));
        assertEveryKeyHoldsItsLastAcknowledgedWrite();
    }

    @Test
    @Order(3)
    void killedNodeKeepsReadsWorkingItsWritesWaitForReReplicationAndItComesBackWithEverything() throws Exception {
        for (int i = 0; i < KEYS; i++) {
            Response r = cluster.put(key(i), "before-kill-" + i);
            assertThat(r.status()).isIn(200, 201);
            expected.put(key(i), new Acked(r.version(), "before-kill-" + i));
        }
        Node victim = cluster.nodes().stream().filter(n -> n.id().equals("node-2")).findFirst().orElseThrow();
        Set<String> onVictim = new HashSet<>(cluster.table(victim, "own").keySet());
        onVictim.addAll(cluster.table(victim, "prev").keySet());
        assertThat(onVictim).isNotEmpty();

        cluster.kill("node-2");

        for (int i = 0; i < KEYS; i++) {
            Response r = cluster.get(key(i));
            assertThat(r.status()).as("read of %s with node-2 killed", key(i)).isEqualTo(200);
            assertThat(r.body()).isEqualTo("before-kill-" + i);
        }
        int refused = 0;
        for (int i = 0; i < KEYS; i++) {
            Response r = cluster.put(key(i), "while-down-" + i);
            if (r.status() == 503) {
                assertThat(onVictim).as("only keys node-2 holds wait for it").contains(key(i));
                assertThat(r.headers()).containsKey("retry-after");
                refused++;
            } else {
                assertThat(r.status()).as("write to %s with node-2 down", key(i)).isEqualTo(200);
                expected.put(key(i), new Acked(r.version(), "while-down-" + i));
            }
        }
        assertThat(refused).as("writes refused before re-replication").isPositive();

        awaitReplicated("node-2", "DOWN");
        for (String key : onVictim) {
            Response r = cluster.put(key, "re-replicated");
            assertThat(r.status()).as("write to %s once re-replicated", key).isEqualTo(200);
            expected.put(key, new Acked(r.version(), "re-replicated"));
        }
        assertEveryKeyHoldsItsLastAcknowledgedWrite();

        cluster.start("node-2");

        awaitReplicated("node-2", "UP");
        assertEveryKeyHoldsItsLastAcknowledgedWrite();
        for (int i = 0; i < KEYS; i++) {
            Response r = cluster.put(key(i), "after-restart-" + i);
            assertThat(r.status()).as("write to %s after node-2 is back", key(i)).isEqualTo(200);
            expected.put(key(i), new Acked(r.version(), "after-restart-" + i));
        }
        assertEveryKeyHoldsItsLastAcknowledgedWrite();
    }

    /** Waits until the node is in {@code state} and every range has two live copies, no migration running. */
    private static void awaitReplicated(String node, String state) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            String json = cluster.clusterJson();
            boolean inState = cluster.nodes().stream().anyMatch(n -> n.id().equals(node) && n.state().equals(state));
            if (inState && json.contains("\"oneCopy\":0") && json.contains("\"noCopy\":0")
                    && json.contains("\"phase\":\"idle\"")) {
                return;
            }
            assertThat(System.nanoTime()).as("%s %s and fully replicated; cluster: %s", node, state, json)
                    .isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    /** Through the API, and on exactly two replicas (one own, one prev) with equal value and version. */
    private static void assertEveryKeyHoldsItsLastAcknowledgedWrite() throws Exception {
        List<Node> nodes = cluster.nodes();
        Map<String, List<Node>> owners = new HashMap<>();
        Map<String, List<Node>> replicas = new HashMap<>();
        Map<String, Map<String, Long>> versions = new HashMap<>();
        for (Node node : nodes) {
            if (node.state().equals("DOWN")) {
                continue;
            }
            Map<String, Long> own = cluster.table(node, "own");
            Map<String, Long> prev = cluster.table(node, "prev");
            own.keySet().forEach(k -> owners.computeIfAbsent(k, x -> new ArrayList<>()).add(node));
            prev.keySet().forEach(k -> replicas.computeIfAbsent(k, x -> new ArrayList<>()).add(node));
            versions.put(node.id() + "/own", own);
            versions.put(node.id() + "/prev", prev);
        }
        for (var entry : expected.entrySet()) {
            String key = entry.getKey();
            Acked last = entry.getValue();
            Response viaApi = cluster.get(key);
            if (last.value() == null) {
                assertThat(viaApi.status()).as("deleted key %s", key).isEqualTo(404);
                assertThat(owners.get(key)).as("owners of deleted %s", key).isNull();
                assertThat(replicas.get(key)).as("replicas of deleted %s", key).isNull();
                continue;
            }
            assertThat(viaApi.status()).as("key %s", key).isEqualTo(200);
            assertThat(viaApi.body()).as("key %s", key).isEqualTo(last.value());
            assertThat(viaApi.version()).as("version of %s", key).isEqualTo(last.version());
            assertThat(owners.get(key)).as("nodes with %s in own", key).hasSize(1);
            assertThat(replicas.get(key)).as("nodes with %s in prev", key).hasSize(1);
            Node owner = owners.get(key).getFirst();
            Node replica = replicas.get(key).getFirst();
            assertThat(owner.id()).isNotEqualTo(replica.id());
            assertThat(versions.get(owner.id() + "/own").get(key)).isEqualTo(last.version());
            assertThat(versions.get(replica.id() + "/prev").get(key)).isEqualTo(last.version());
            assertThat(cluster.readReplica(owner, "own", key).body()).isEqualTo(last.value());
            assertThat(cluster.readReplica(replica, "prev", key).body()).isEqualTo(last.value());
        }
    }
}
