package dev.kvstore.coordinator.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvstore.coordinator.MutableClock;
import dev.kvstore.coordinator.cache.SetAssociativeCache;
import dev.kvstore.coordinator.membership.Membership;
import dev.kvstore.coordinator.nodeclient.NodeClient;
import dev.kvstore.coordinator.nodeclient.NodeUnavailableException;
import dev.kvstore.coordinator.nodeclient.NodeValue;
import dev.kvstore.coordinator.ring.HashRing;
import dev.kvstore.coordinator.ring.RingHolder;
import dev.kvstore.coordinator.ring.WriteGate;
import dev.kvstore.coordinator.txn.Precondition;
import dev.kvstore.coordinator.txn.TwoPhaseCommit;
import dev.kvstore.coordinator.txn.TxnRegistry;
import dev.kvstore.coordinator.txn.VersionClock;
import dev.kvstore.model.Key;
import dev.kvstore.model.PrepareRequest;
import dev.kvstore.model.Table;
import dev.kvstore.model.Vote;
import dev.kvstore.model.WriteOp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reads and writes through the service, with three nodes kept in memory. */
class KvServiceTest {


    /** Three nodes' tables in memory; records every read; a node in {@code unreachable} fails every call. */
    static final class FakeNodes implements NodeClient {
        final Map<String, Map<Table, Map<String, NodeValue>>> tables = new ConcurrentHashMap<>();
        final Map<String, PrepareRequest> prepared = new ConcurrentHashMap<>();
        final List<String> reads = new CopyOnWriteArrayList<>();
        final Set<String> unreachable = ConcurrentHashMap.newKeySet();

        private Map<String, NodeValue> table(String url, Table table) {
            return tables.computeIfAbsent(url, u -> new ConcurrentHashMap<>())
                    .computeIfAbsent(table, t -> new ConcurrentHashMap<>());
        }

        private void reach(String url) {
            if (unreachable.contains(url)) {
                throw new NodeUnavailableException(url, "connection refused", null);
            }
        }

        @Override
        public Vote prepare(String url, String txId, PrepareRequest request) {
            reach(url);
            NodeValue stored = table(url, request.table()).get(request.key());
            long current = stored == null ? 0 : stored.version();
            if ((request.expectedVersion() != null && request.expectedVersion() != current)
                    || (request.mustExist() && current == 0)) {
                return Vote.no(txId, Vote.CONFLICT, current);
            }
            prepared.put(url + txId, request);
            return Vote.yes(txId, current);
        }

        @Override
        public void commit(String url, String txId, long version) {
            reach(url);
            PrepareRequest r = prepared.remove(url + txId);
            if (r.op() == WriteOp.PUT) {
                table(url, r.table()).put(r.key(), new NodeValue(r.value(), r.contentType(), version));
            } else {
                table(url, r.table()).remove(r.key());
            }
        }

        @Override
        public void abort(String url, String txId) {
            reach(url);
            prepared.remove(url + txId);
        }

        @Override
        public Optional<NodeValue> read(String url, Table table, String key) {
            reads.add(url + " " + table);
            reach(url);
            return Optional.ofNullable(table(url, table).get(key));
        }
    }

    private final MutableClock clock = new MutableClock();
    private final Membership membership = new Membership(clock, Duration.ofSeconds(3));
    private final RingHolder ring = new RingHolder();
    private final FakeNodes nodes = new FakeNodes();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final SetAssociativeCache<String, CachedValue> cache = new SetAssociativeCache<>(16, 4);
    private final KvService kv;
    private final TwoPhaseCommit txn;

    KvServiceTest() {
        for (String id : List.of("n1", "n2", "n3")) {
            membership.register(id, "http://" + id);
        }
        ring.publish(HashRing.of(List.of("n1", "n2", "n3"), 64));
        txn = new TwoPhaseCommit(nodes, new TxnRegistry(clock), new VersionClock(clock), executor);
        kv = new KvService(membership, ring, new WriteGate(), txn, nodes, cache, Duration.ofSeconds(1),
                () -> "formed");
    }

    @AfterEach
    void close() {
        executor.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String text(Optional<CachedValue> value) {
        return new String(value.orElseThrow().value(), StandardCharsets.UTF_8);
    }

    private List<String> holders(String key) {
        return ring.current().preferenceList(key, 2);
    }

    /** Takes {@code id} DOWN: its heartbeats stop while the others' go on. */
    private void down(String id) {
        clock.advance(Duration.ofSeconds(4));
        membership.members().stream().filter(m -> !m.id().equals(id)).forEach(m -> membership.heartbeat(m.id()));
        membership.reap();
    }

    @Test
    void writeLandsInThePrimarysOwnTableAndTheSuccessorsPrevTable() {
        kv.put(Key.of("k"), bytes("v"), "text/plain", Precondition.NONE);
        txn.awaitCommits("k"); // the COMMITs follow the answer

        List<String> holders = holders("k");
        assertThat(nodes.tables.get("http://" + holders.get(0)).get(Table.OWN)).containsKey("k");
        assertThat(nodes.tables.get("http://" + holders.get(1)).get(Table.PREV)).containsKey("k");
        String third = Set.of("n1", "n2", "n3").stream().filter(id -> !holders.contains(id)).findFirst().orElseThrow();
        assertThat(nodes.tables.get("http://" + third)).isNull();
    }

    @Test
    void cacheHitIsAnsweredWithoutAnyNodeCall() {
        kv.put(Key.of("k"), bytes("v"), "text/plain", Precondition.NONE);

        assertThat(text(kv.get(Key.of("k")))).isEqualTo("v");
        assertThat(nodes.reads).isEmpty();
        assertThat(cache.stats().hits()).isOne();
    }

    @Test
    void missReadsThePrimaryAndFillsTheCache() {
        kv.put(Key.of("k"), bytes("v"), "text/plain", Precondition.NONE);
        cache.remove("k");

        assertThat(text(kv.get(Key.of("k")))).isEqualTo("v");
        assertThat(text(kv.get(Key.of("k")))).isEqualTo("v");

        assertThat(nodes.reads).containsExactly("http://" + holders("k").getFirst() + " OWN");
    }

    @Test
    void missWithThePrimaryDownReadsTheReplica() {
        kv.put(Key.of("k"), bytes("v"), "text/plain", Precondition.NONE);
        cache.remove("k");
        down(holders("k").getFirst());

        assertThat(text(kv.get(Key.of("k")))).isEqualTo("v");

        assertThat(nodes.reads).containsExactly("http://" + holders("k").get(1) + " PREV");
    }

    @Test
    void missWithThePrimaryDeadButNotYetReapedFallsBackToTheReplica() {
        kv.put(Key.of("k"), bytes("v"), "text/plain", Precondition.NONE);
        cache.remove("k");
        nodes.unreachable.add("http://" + holders("k").getFirst());

        assertThat(text(kv.get(Key.of("k")))).isEqualTo("v");
    }

    @Test
    void readFailsOnlyWhenNoReplicaAnswers() {
        kv.put(Key.of("k"), bytes("v"), "text/plain", Precondition.NONE);
        cache.remove("k");
        holders("k").forEach(id -> nodes.unreachable.add("http://" + id));

        assertThatThrownBy(() -> kv.get(Key.of("k"))).isInstanceOf(ReplicasUnavailableException.class);
    }

    @Test
    void writeToAKeyWithAReplicaDownIsRefusedWithoutTouchingAnyNode() {
        down(holders("k").get(1));

        assertThatThrownBy(() -> kv.put(Key.of("k"), bytes("v"), "text/plain", Precondition.NONE))
                .isInstanceOf(ReplicasUnavailableException.class).hasMessageContaining("is down");
        assertThat(nodes.tables).isEmpty();
        assertThat(nodes.prepared).isEmpty();
    }

    @Test
    void writeWithAReplicaUnreachableCommitsNothingAnywhere() {
        nodes.unreachable.add("http://" + holders("k").get(1));

        assertThatThrownBy(() -> kv.put(Key.of("k"), bytes("v"), "text/plain", Precondition.NONE))
                .isInstanceOf(ReplicasUnavailableException.class);
        assertThat(nodes.tables.values()).allSatisfy(t -> assertThat(t.getOrDefault(Table.OWN, Map.of())).isEmpty());
        assertThat(cache.stats().size()).isZero();
    }

    @Test
    void commitsUpdateTheCacheAndDeletesRemoveIt() {
        kv.put(Key.of("k"), bytes("v1"), "text/plain", Precondition.NONE);
        kv.put(Key.of("k"), bytes("v2"), "text/plain", Precondition.NONE);
        assertThat(text(kv.get(Key.of("k")))).isEqualTo("v2");

        kv.delete(Key.of("k"), Precondition.NONE);

        assertThat(kv.get(Key.of("k"))).isEmpty();
        assertThat(nodes.reads).as("only the read after the delete reached a node").hasSize(1);
    }

    @Test
    void versionsIncreaseAndConditionsAreChecked() {
        long v1 = kv.put(Key.of("k"), bytes("v1"), "text/plain", new Precondition.MustBeAbsent()).version();
        long v2 = kv.put(Key.of("k"), bytes("v2"), "text/plain", new Precondition.MustMatch(v1)).version();

        assertThat(v2).isGreaterThan(v1);
        assertThatThrownBy(() -> kv.put(Key.of("k"), bytes("v3"), "text/plain", new Precondition.MustMatch(v1)))
                .isInstanceOf(PreconditionFailedException.class);
        assertThatThrownBy(() -> kv.put(Key.of("k"), bytes("v3"), "text/plain", new Precondition.MustBeAbsent()))
                .isInstanceOf(PreconditionFailedException.class);
        assertThat(text(kv.get(Key.of("k")))).isEqualTo("v2");
    }

    @Test
    void deleteOfAnAbsentKeyIsNotFound() {
        assertThatThrownBy(() -> kv.delete(Key.of("nope"), Precondition.NONE)).isInstanceOf(KeyNotFoundException.class);
    }

    @Test
    void aClusterOfOneNodeCannotStoreAnything() {
        Membership alone = new Membership(clock, Duration.ofSeconds(3));
        alone.register("n1", "http://n1");
        RingHolder single = new RingHolder();
        single.publish(HashRing.of(List.of("n1"), 8));
        KvService lonely = new KvService(alone, single, new WriteGate(), null, nodes, cache, Duration.ofSeconds(1),
                () -> "formed");

        assertThatThrownBy(() -> lonely.put(Key.of("k"), bytes("v"), null, Precondition.NONE))
                .isInstanceOf(ReplicasUnavailableException.class).hasMessageContaining("at least 2 nodes");
    }

    @Test
    void beforeTheRingHasFormedEveryRequestIsUnavailable() {
        KvService forming = new KvService(membership, new RingHolder(), new WriteGate(), null, nodes, cache,
                Duration.ofSeconds(1), () -> "waiting for n4 of the last ring");

        assertThatThrownBy(() -> forming.get(Key.of("k"))).isInstanceOf(ReplicasUnavailableException.class)
                .hasMessageContaining("forming").as("says what the ring waits for")
                .hasMessageContaining("waiting for n4 of the last ring");
    }
}
