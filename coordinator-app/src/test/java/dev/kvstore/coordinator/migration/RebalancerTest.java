package dev.kvstore.coordinator.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.coordinator.MutableClock;
import dev.kvstore.coordinator.membership.Membership;
import dev.kvstore.coordinator.ring.HashRing;
import dev.kvstore.coordinator.ring.RingHolder;
import dev.kvstore.model.HashRange;
import dev.kvstore.model.RingView;
import dev.kvstore.model.Table;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The rebalancer against simulated nodes: formation, failover, return, join and removal. */
class RebalancerTest {


    /** Nodes as key sets per table, addressed by URL "http://<id>"; a URL in {@code failing} refuses every call. */
    static final class FakeNodes implements MigrationTransport {
        final Map<String, Map<Table, Set<String>>> tables = new HashMap<>();
        final Set<String> failing = new TreeSet<>();
        final List<String> calls = new ArrayList<>();

        Set<String> table(String url, Table table) {
            return tables.computeIfAbsent(url, u -> new HashMap<>()).computeIfAbsent(table, t -> new TreeSet<>());
        }

        private void reach(String url) {
            if (failing.contains(url)) {
                throw new MigrationStepException(url + " unreachable", null);
            }
        }

        private static boolean in(List<HashRange> ranges, String key) {
            return ranges.stream().anyMatch(r -> r.containsKey(key));
        }

        @Override
        public long copy(String targetUrl, Table targetTable, String sourceUrl, Table sourceTable, List<HashRange> ranges) {
            calls.add("copy " + sourceUrl + " -> " + targetUrl);
            reach(targetUrl);
            reach(sourceUrl);
            List<String> keys = table(sourceUrl, sourceTable).stream().filter(k -> in(ranges, k)).toList();
            table(targetUrl, targetTable).addAll(keys);
            return keys.size();
        }

        @Override
        public long move(String url, Table from, Table to, List<HashRange> ranges) {
            reach(url);
            List<String> keys = table(url, from).stream().filter(k -> in(ranges, k)).toList();
            table(url, from).removeAll(keys);
            table(url, to).addAll(keys);
            return keys.size();
        }

        @Override
        public long drop(String url, Table table, List<HashRange> ranges) {
            reach(url);
            Set<String> t = table(url, table);
            int before = t.size();
            t.removeIf(k -> in(ranges, k));
            return before - t.size();
        }

        final Map<String, RingView> announced = new HashMap<>();

        @Override
        public void announceRing(String url, RingView ring) {
            reach(url);
            announced.put(url, ring);
        }

        @Override
        public long count(String url, Table table, List<HashRange> ranges) {
            reach(url);
            return table(url, table).stream().filter(k -> in(ranges, k)).count();
        }
    }

    private static final int VNODES = 16;
    private static final List<String> KEYS = java.util.stream.IntStream.range(0, 2000).mapToObj(i -> "k" + i).toList();

    private final MutableClock clock = new MutableClock();
    private final Membership membership = new Membership(clock, Duration.ofSeconds(3));
    private final RingHolder ring = new RingHolder();
    private final FakeNodes nodes = new FakeNodes();
    private final Rebalancer rebalancer = new Rebalancer(membership, ring, nodes, new WriteGate(), VNODES, clock,
            Duration.ofSeconds(3));

    private void register(String... ids) {
        for (String id : ids) {
            membership.register(id, "http://" + id);
        }
    }

    private void formWith(String... ids) {
        register(ids);
        clock.advance(Duration.ofSeconds(3));
        assertThat(rebalancer.tick()).isTrue();
        for (String key : KEYS) {
            List<String> holders = ring.current().preferenceList(key, 2);
            nodes.table("http://" + holders.get(0), Table.OWN).add(key);
            nodes.table("http://" + holders.get(1), Table.PREV).add(key);
        }
    }

    /** Heartbeats from every node but these, past the timeout, then a reap. */
    private void kill(String... dead) {
        clock.advance(Duration.ofSeconds(4));
        Set<String> gone = Set.of(dead);
        membership.members().stream().filter(m -> !gone.contains(m.id())).forEach(m -> membership.heartbeat(m.id()));
        membership.reap();
    }

    private void assertPlacedByTheRing(Set<String> ignoring) {
        for (String key : KEYS) {
            List<String> holders = ring.current().preferenceList(key, 2);
            List<String> found = new ArrayList<>();
            nodes.tables.forEach((url, tables) -> {
                if (!ignoring.contains(url)) {
                    tables.forEach((table, keys) -> {
                        if (keys.contains(key)) {
                            found.add(url + "/" + table);
                        }
                    });
                }
            });
            assertThat(found).as(key).containsExactlyInAnyOrder("http://" + holders.get(0) + "/OWN",
                    "http://" + holders.get(1) + "/PREV");
        }
    }

    @Test
    void ringFormsOnlyAfterTheWindowWithEveryNodeRegisteredByThenAndMovesNoData() {
        register("a", "b");
        clock.advance(Duration.ofSeconds(2));
        assertThat(rebalancer.tick()).isFalse();
        assertThat(ring.formed()).isFalse();
        register("c");

        clock.advance(Duration.ofSeconds(1));
        assertThat(rebalancer.tick()).isTrue();

        assertThat(ring.current().nodes()).containsExactly("a", "b", "c");
        assertThat(nodes.calls).isEmpty();
    }

    @Test
    void deadNodeIsTakenOffTheRingOnceItsRangesHaveTwoCopiesAgain() {
        formWith("a", "b", "c", "d");
        kill("d");

        assertThat(rebalancer.tick()).isTrue();

        assertThat(ring.current().nodes()).containsExactly("a", "b", "c");
        assertPlacedByTheRing(Set.of("http://d"));
        assertThat(nodes.calls).noneMatch(call -> call.contains("http://d"));
        assertThat(rebalancer.status().phase()).isEqualTo("idle");
    }

    @Test
    void returningNodeGetsItsShareBackAndNothingStale() {
        formWith("a", "b", "c");
        kill("c");
        rebalancer.tick();
        nodes.table("http://c", Table.OWN).add("deleted-while-c-was-away");
        membership.heartbeat("c");

        assertThat(rebalancer.tick()).isTrue();

        assertThat(ring.current().nodes()).containsExactly("a", "b", "c");
        assertPlacedByTheRing(Set.of());
        assertThat(nodes.table("http://c", Table.OWN)).doesNotContain("deleted-while-c-was-away");
    }

    @Test
    void newNodeJoinsWithItsShareCopiedFromTheCurrentHolders() {
        formWith("a", "b", "c");
        register("e");

        assertThat(rebalancer.tick()).isTrue();

        assertThat(ring.current().nodes()).containsExactly("a", "b", "c", "e");
        assertPlacedByTheRing(Set.of());
    }

    @Test
    void removedNodeHandsItsDataOnThenLeavesTheTable() {
        formWith("a", "b", "c", "d");
        membership.markLeaving("b");

        assertThat(rebalancer.tick()).isTrue();
        assertThat(rebalancer.tick()).isFalse();

        assertThat(ring.current().nodes()).containsExactly("a", "c", "d");
        assertThat(membership.member("b")).isEmpty();
        assertPlacedByTheRing(Set.of("http://b"));
        assertThat(nodes.table("http://b", Table.OWN)).isEmpty();
    }

    @Test
    void failedStepKeepsTheOldRingAndTheNextTickRetries() {
        formWith("a", "b", "c");
        register("e");
        nodes.failing.add("http://e");
        HashRing before = ring.current();

        assertThat(rebalancer.tick()).isFalse();

        assertThat(ring.current()).isSameAs(before);
        assertThat(rebalancer.status().lastError()).contains("e joins");
        nodes.failing.clear();
        assertThat(rebalancer.tick()).isTrue();
        assertPlacedByTheRing(Set.of());
    }

    @Test
    void oneChangeAtATimeDeparturesFirst() {
        formWith("a", "b", "c");
        kill("c");
        register("e");

        rebalancer.tick();
        assertThat(ring.current().nodes()).containsExactly("a", "b");
        rebalancer.tick();
        assertThat(ring.current().nodes()).containsExactly("a", "b", "e");
        assertPlacedByTheRing(Set.of("http://c"));
    }

    @Test
    void everyPublishedRingIsAnnouncedToTheLiveNodesWithAGrowingEpoch() {
        formWith("a", "b", "c");
        long formedEpoch = nodes.announced.get("http://a").epoch();
        assertThat(nodes.announced.get("http://a").nodes()).containsExactly("a", "b", "c");

        kill("c");
        rebalancer.tick();

        assertThat(nodes.announced.get("http://a")).isEqualTo(new RingView(formedEpoch + 1, List.of("a", "b")));
        assertThat(nodes.announced.get("http://c").epoch()).as("c was down, so it kept the old ring").isEqualTo(formedEpoch);
    }

    @Test
    void restartedCoordinatorRebuildsTheReportedRingWithAMissingMemberDownThenFailsItOver() {
        Membership restarted = new Membership(clock, Duration.ofSeconds(3));
        RingHolder rebuilt = new RingHolder();
        Rebalancer after = new Rebalancer(restarted, rebuilt, nodes, new WriteGate(), VNODES, clock, Duration.ofSeconds(3));
        RingView before = new RingView(9, List.of("a", "b", "c"));
        for (String key : KEYS) {
            List<String> holders = HashRing.of(before.nodes(), VNODES).preferenceList(key, 2);
            nodes.table("http://" + holders.get(0), Table.OWN).add(key);
            nodes.table("http://" + holders.get(1), Table.PREV).add(key);
        }
        restarted.register("a", "http://a", before);
        restarted.register("b", "http://b", new RingView(8, List.of("a", "b")));
        clock.advance(Duration.ofSeconds(3));

        assertThat(after.tick()).isTrue();

        assertThat(rebuilt.current().nodes()).containsExactly("a", "b", "c");
        assertThat(restarted.member("c").orElseThrow().isUp()).isFalse();
        assertThat(nodes.announced.get("http://a").epoch()).isEqualTo(10);

        assertThat(after.tick()).isTrue();
        assertThat(rebuilt.current().nodes()).containsExactly("a", "b");
        for (String key : KEYS) {
            List<String> holders = rebuilt.current().preferenceList(key, 2);
            assertThat(nodes.table("http://" + holders.get(0), Table.OWN)).as(key).contains(key);
            assertThat(nodes.table("http://" + holders.get(1), Table.PREV)).as(key).contains(key);
        }
    }
}
