package dev.kvstore.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.kvstore.client.BadRequestException;
import dev.kvstore.client.ClusterStatus;
import dev.kvstore.client.Condition;
import dev.kvstore.client.Entry;
import dev.kvstore.client.KvClient;
import dev.kvstore.client.KvClientException;
import dev.kvstore.client.PreconditionFailedException;
import dev.kvstore.client.UnavailableException;
import dev.kvstore.client.ValueTooLargeException;
import dev.kvstore.client.WriteResult;
import dev.kvstore.e2e.LocalCluster.Node;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
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
 * A coordinator and three nodes as real processes, started with {@code bin/cluster}, driven through the
 * typed client. The cache is made tiny so that most reads go to the nodes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final int KEYS = 200;
    private static LocalCluster cluster;
    private static KvClient kv;
    /** What every key must hold: its last acknowledged write (null when deleted). */
    private static final Map<String, Acked> expected = new ConcurrentHashMap<>();

    record Acked(long version, String value) {
    }

    @BeforeAll
    static void up() throws Exception {
        Path data = Files.createTempDirectory("kv-e2e-");
        cluster = new LocalCluster(data, Map.of(
                "KV_COORDINATOR_ARGS", "--kv.cache.sets=8 --kv.cache.ways=2 --kv.membership.heartbeat-timeout=60s",
                "KV_NODE_ARGS", "--kv.wal.fsync=always",
                "KV_JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1"));
        cluster.up(3);
        kv = cluster.client();
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
        assertThat(kv.nodes().nodes()).as("GET /nodes: a compact line per node").allSatisfy(node -> {
            assertThat(node.positions()).isEmpty();
            assertThat(node.heartbeatAgeMillis()).isNotNull().isBetween(0L, 60_000L);
            assertThat(node.ringShare()).isPositive();
        });
        assertThat(kv.nodes(true).nodes()).as("GET /nodes?positions=true").allSatisfy(node ->
                assertThat(node.positions()).isNotEmpty());

        String key = "docs/app/db/url";
        WriteResult created = kv.put(key, "jdbc:h2:mem".getBytes(UTF_8), "text/plain", Condition.none());
        assertThat(created.created()).as("201 for a new key").isTrue();
        Entry read = kv.get(key).orElseThrow();
        assertThat(read.asString()).isEqualTo("jdbc:h2:mem");
        assertThat(read.version()).isEqualTo(created.version());
        assertThat(read.contentType()).isEqualTo("text/plain");

        WriteResult replaced = kv.put(key, "jdbc:pg");
        assertThat(replaced.created()).as("200 for a replaced value").isFalse();
        assertThat(replaced.version()).isGreaterThan(created.version());

        assertThatThrownBy(() -> kv.put(key, "x", Condition.ifAbsent())).isInstanceOf(PreconditionFailedException.class);
        assertThatThrownBy(() -> kv.put(key, "x", Condition.ifVersion(created.version())))
                .isInstanceOf(PreconditionFailedException.class);
        WriteResult cas = kv.put(key, "jdbc:cas", Condition.ifVersion(replaced.version()));
        assertThat(cas.created()).isFalse();
        assertThat(kv.get(key).map(Entry::asString)).contains("jdbc:cas");

        OptionalLong deleted = kv.deleteWithVersion(key, Condition.none());
        assertThat(deleted).as("204 with the deletion's version").isPresent();
        assertThat(deleted.getAsLong()).isGreaterThan(cas.version());
        assertThat(kv.get(key)).isEmpty();
        assertThat(kv.delete(key)).as("404 deleting an absent key").isFalse();
        WriteResult recreated = kv.put(key, "again");
        assertThat(recreated.created()).isTrue();
        assertThat(recreated.version()).as("versions keep increasing across a delete").isGreaterThan(deleted.getAsLong());

        // The title comes from the problem+json body; a body the client could not read would say "Content Too Large".
        assertThatThrownBy(() -> kv.put("docs/big", "x".repeat(1024 * 1024 + 1)))
                .isInstanceOfSatisfying(ValueTooLargeException.class, e -> {
                    assertThat(e.problem().status()).isEqualTo(413);
                    assertThat(e.problem().title()).isEqualTo("Value too large");
                    assertThat(e.problem().detail()).contains("1048576");
                });
        // The typed client cannot send a malformed If-Match: raw HTTP.
        assertThat(cluster.put("docs/bad", "x", "If-Match", "yesterday").status()).isEqualTo(400);
        assertThatThrownBy(() -> kv.put("docs/bad", new byte[0], "not a media type", Condition.none()))
                .isInstanceOfSatisfying(BadRequestException.class,
                        e -> assertThat(e.problem().detail()).contains("not a media type"));
    }

    @Test
    @Order(1)
    void keysWithCharactersThatMeanSomethingInAUriAreStoredUnderExactlyThatKey() throws Exception {
        String key = "docs/odd key ü%?#;+&=\"/../x";
        assertThat(kv.put(key, "odd").created()).isTrue();
        assertThat(kv.get(key).map(Entry::asString)).contains("odd");

        // The node's internal API takes the key as a query parameter: an independent check of its spelling.
        List<String> placement = kv.placement(key);
        Node primary = cluster.nodes().stream().filter(n -> n.id().equals(placement.getFirst())).findFirst()
                .orElseThrow();
        assertThat(cluster.readReplica(primary, "own", key).body()).isEqualTo("odd");
        assertThat(kv.delete(key)).isTrue();
    }

    @Test
    @Order(1)
    void aClusterStartedWithoutASecretSignsItsTrafficWithAGeneratedOneOnlyItsOwnerCanRead() throws Exception {
        Path secret = cluster.data().resolve("cluster.secret");
        assertThat(Files.getPosixFilePermissions(secret)).containsExactlyInAnyOrder(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(cluster.secret()).hasSizeGreaterThanOrEqualTo(32);

        HttpResponse<String> rogue = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(cluster.api() + "/nodes"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"node-rogue\",\"url\":\"http://127.0.0.1:9\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(rogue.statusCode()).as("an unsigned registration: %s", rogue.body()).isEqualTo(401);
        assertThat(cluster.nodes()).extracting(Node::id).doesNotContain("node-rogue");
        // Throws unless the node answered: a refused (unsigned) call has no inDoubt count.
        assertThat(cluster.inDoubt(cluster.nodes().get(0))).as("a signed internal read").isGreaterThanOrEqualTo(0);
    }

    @Test
    @Order(1)
    void fromJdk25OnEveryProcessRunsFromTheExtractedJarWithAnAotCacheItsJvmAccepted() throws Exception {
        Map<String, String> recorded = cluster.recordedEnv();
        Path release = Path.of(recorded.get("CL_JAVA")).getParent().getParent().resolve("release");
        String version = Files.readAllLines(release).stream().filter(line -> line.startsWith("JAVA_VERSION="))
                .findFirst().orElseThrow().replaceAll("[^0-9.]", "");
        assumeThat(Integer.parseInt(version.split("\\.")[0])).as("the JDK bin/cluster runs").isGreaterThanOrEqualTo(25);

        assertThat(cluster.commandsOutput()).contains("AOT cache:   on (");
        for (String name : List.of("coordinator-1", "node-1", "node-2", "node-3")) {
            String app = name.startsWith("node-") ? "node" : "coordinator";
            String cache = recorded.get("CL_" + app.toUpperCase() + "_AOT");
            String jar = recorded.get("CL_" + app.toUpperCase() + "_JAR");
            assertThat(cache).endsWith("/" + app + "-app/target/aot/app.aot");
            assertThat(jar).contains("/" + app + "-app/target/aot/app/" + app + "-app-").endsWith("-exec.jar");
            assertThat(cluster.commandLine(name)).contains(" -XX:AOTCache=" + cache + " ", " -jar " + jar + " ");
            // A JVM that runs without the cache it was given says why in [warning][aot] / [error][aot] lines.
            assertThat(cluster.log(name)).doesNotContainPattern("\\[(warning|error) *\\]\\[aot");
        }
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
                            try {
                                WriteResult r = kv.put(key, value);
                                acknowledged.computeIfAbsent(key, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                                        .add(new Acked(r.version(), value));
                            } catch (KvClientException e) {
                                unexpected.add("PUT " + key + " -> " + e.getMessage());
                            }
                        } else if (dice < 85) {
                            try {
                                Optional<String> r = kv.get(key).map(Entry::asString);
                                if (r.isPresent() && !written.getOrDefault(key, Set.of()).contains(r.get())) {
                                    phantom.add("GET " + key + " returned " + r.get() + ", never written");
                                }
                            } catch (KvClientException e) {
                                unexpected.add("GET " + key + " -> " + e.getMessage());
                            }
                        } else {
                            try {
                                kv.deleteWithVersion(key, Condition.none()).ifPresent(version -> acknowledged
                                        .computeIfAbsent(key, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                                        .add(new Acked(version, null)));
                            } catch (KvClientException e) {
                                unexpected.add("DELETE " + key + " -> " + e.getMessage());
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
    void killedNodeIsDownAtOnceItsReadsKeepWorkingAndItComesBackWithEverything() throws Exception {
        for (int i = 0; i < KEYS; i++) {
            WriteResult r = kv.put(key(i), "before-kill-" + i);
            expected.put(key(i), new Acked(r.version(), "before-kill-" + i));
        }
        Node victim = cluster.nodes().stream().filter(n -> n.id().equals("node-2")).findFirst().orElseThrow();
        Set<String> onVictim = new HashSet<>(cluster.table(victim, "own").keySet());
        onVictim.addAll(cluster.table(victim, "prev").keySet());
        assertThat(onVictim).isNotEmpty();

        cluster.kill("node-2");

        for (int i = 0; i < KEYS; i++) {
            assertThat(kv.get(key(i)).map(Entry::asString)).as("read of %s with node-2 killed", key(i))
                    .contains("before-kill-" + i);
        }
        for (int i = 0; i < KEYS; i++) {
            try {
                WriteResult r = kv.put(key(i), "while-down-" + i);
                assertThat(r.created()).as("write to %s with node-2 down replaces", key(i)).isFalse();
                expected.put(key(i), new Acked(r.version(), "while-down-" + i));
            } catch (UnavailableException e) {
                assertThat(onVictim).as("only keys node-2 holds wait for it").contains(key(i));
                assertThat(e.retryAfter()).as("Retry-After of %s", e.getMessage()).isPresent();
            }
        }

        // Long before the heartbeat timeout (60 s here): the calls its death refused proved it gone.
        awaitReplicated("node-2", "DOWN", Duration.ofSeconds(30));
        for (String key : onVictim) {
            WriteResult r = kv.put(key, "re-replicated");
            assertThat(r.created()).as("write to %s once re-replicated replaces", key).isFalse();
            expected.put(key, new Acked(r.version(), "re-replicated"));
        }
        assertEveryKeyHoldsItsLastAcknowledgedWrite();

        cluster.start("node-2");

        awaitReplicated("node-2", "UP", Duration.ofSeconds(120));
        assertEveryKeyHoldsItsLastAcknowledgedWrite();
        for (int i = 0; i < KEYS; i++) {
            WriteResult r = kv.put(key(i), "after-restart-" + i);
            assertThat(r.created()).as("write to %s after node-2 is back replaces", key(i)).isFalse();
            expected.put(key(i), new Acked(r.version(), "after-restart-" + i));
        }
        assertEveryKeyHoldsItsLastAcknowledgedWrite();
    }

    /** Waits until the node is in {@code state} and every range has two live copies, no migration running. */
    private static void awaitReplicated(String node, String state, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            ClusterStatus status = cluster.status();
            boolean inState = status.node(node).map(n -> n.state().equals(state)).orElse(false);
            if (inState && status.fullyReplicated()) {
                return;
            }
            assertThat(System.nanoTime()).as("%s %s and fully replicated; cluster: %s", node, state, status)
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
            Optional<Entry> viaApi = kv.get(key);
            if (last.value() == null) {
                assertThat(viaApi).as("deleted key %s", key).isEmpty();
                assertThat(owners.get(key)).as("owners of deleted %s", key).isNull();
                assertThat(replicas.get(key)).as("replicas of deleted %s", key).isNull();
                continue;
            }
            assertThat(viaApi).as("key %s", key).isPresent();
            assertThat(viaApi.get().asString()).as("key %s", key).isEqualTo(last.value());
            assertThat(viaApi.get().version()).as("version of %s", key).isEqualTo(last.version());
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
