package dev.kvstore.coordinator.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.coordinator.MutableClock;
import dev.kvstore.coordinator.group.GroupState;
import dev.kvstore.coordinator.membership.Membership;
import dev.kvstore.coordinator.ring.HashRing;
import dev.kvstore.coordinator.ring.RingHolder;
import dev.kvstore.coordinator.ring.WriteGate;
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
        /** URLs whose moves between tables fail after doing their work (the answer is lost). */
        final Set<String> movesLost = new TreeSet<>();
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
            calls.add("move " + url + " " + from + " -> " + to);
            reach(url);
            List<String> keys = table(url, from).stream().filter(k -> in(ranges, k)).toList();
            table(url, from).removeAll(keys);
            table(url, to).addAll(keys);
            if (movesLost.remove(url)) {
                throw new MigrationStepException(url + ": the answer to a move was lost", null);
            }
            return keys.size();
        }

        @Override
        public long drop(String url, Table table, List<HashRange> ranges) {
            calls.add("drop " + url + " " + table);
            reach(url);
            Set<String> t = table(url, table);
            int before = t.size();
            t.removeIf(k -> in(ranges, k));
            return before - t.size();
        }

        final Map<String, RingView> announced = new java.util.concurrent.ConcurrentHashMap<>();

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
    private static final Duration WINDOW = Duration.ofSeconds(3);
    private static final Duration RESTART_WAIT = Duration.ofSeconds(30);
    private static final List<String> KEYS = java.util.stream.IntStream.range(0, 2000).mapToObj(i -> "k" + i).toList();

    private final MutableClock clock = new MutableClock();
    private final Membership membership = new Membership(clock, Duration.ofSeconds(3));
    private final RingHolder ring = new RingHolder();
    private final FakeNodes nodes = new FakeNodes();
    private final Rebalancer rebalancer = new Rebalancer(membership, ring, nodes, new WriteGate(), VNODES, clock,
            WINDOW, RESTART_WAIT);

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
        assertPlacedBy(ring.current(), nodes, ignoring, KEYS);
    }

    /** Every key is on exactly its two replicas under {@code ring}: the primary's own, the replica's prev. */
    static void assertPlacedBy(HashRing ring, FakeNodes nodes, Set<String> ignoring, List<String> keys) {
        for (String key : keys) {
            List<String> holders = ring.preferenceList(key, 2);
            List<String> found = new ArrayList<>();
            nodes.tables.forEach((url, tables) -> {
                if (!ignoring.contains(url)) {
                    tables.forEach((table, held) -> {
                        if (held.contains(key)) {
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
    void aChangeThatFailsMidwayThroughItsMovesPutsTheEntriesBackWhereTheOldRingReadsThem() {
        formWith("a", "b", "c");
        HashRing old = ring.current();
        kill("c");
        List<String> movers = new ArrayList<>();
        nodes.calls.clear();
        nodes.movesLost.addAll(List.of("http://a", "http://b"));

        assertThat(rebalancer.tick()).isFalse();

        nodes.calls.stream().filter(call -> call.startsWith("move ")).forEach(movers::add);
        assertThat(movers).as("a move, its answer lost, and the move back").hasSizeGreaterThanOrEqualTo(2);
        assertThat(ring.current()).as("the old ring is kept").isSameAs(old);
        for (String key : KEYS) {
            List<String> holders = old.preferenceList(key, 2);
            // c is down: the old ring reads its keys from the replica's prev table.
            String where = holders.get(0).equals("c") ? "http://" + holders.get(1) : "http://" + holders.get(0);
            Table table = holders.get(0).equals("c") ? Table.PREV : Table.OWN;
            assertThat(nodes.table(where, table)).as("%s where the old ring reads it", key).contains(key);
        }

        nodes.movesLost.clear();
        assertThat(rebalancer.tick()).as("the next attempt").isTrue();
        assertPlacedByTheRing(Set.of("http://c"));
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

    /** Keys placed as a ring of these nodes places them, as the nodes hold them when the coordinator restarts. */
    private void storedAsBy(RingView before) {
        for (String key : KEYS) {
            List<String> holders = HashRing.of(before.nodes(), VNODES).preferenceList(key, 2);
            nodes.table("http://" + holders.get(0), Table.OWN).add(key);
            nodes.table("http://" + holders.get(1), Table.PREV).add(key);
        }
    }

    private void register(String id, RingView reported) {
        membership.register(id, "http://" + id, reported);
    }

    /**
     * A second at a time, as the running coordinator would see it: every registered node heartbeats,
     * the reaper looks, the rebalancer ticks; none of it may form the ring or declare anyone DOWN.
     */
    private void waitUnformed(Duration total) {
        for (Duration waited = Duration.ZERO; waited.compareTo(total) < 0; waited = waited.plusSeconds(1)) {
            clock.advance(Duration.ofSeconds(1));
            membership.members().forEach(m -> membership.heartbeat(m.id()));
            assertThat(membership.reap()).as("reaped while the ring forms").isEmpty();
            assertThat(rebalancer.tick()).as("formed %s after the first registration", waited.plusSeconds(1))
                    .isFalse();
        }
        assertThat(ring.formed()).isFalse();
    }

    @Test
    void restartWaitHoldsTheRingForASlowMemberOfTheReportedRingWhichThenFormsWithNoneDownAndNoDataMoved() {
        RingView before = new RingView(9, List.of("a", "b", "c"));
        storedAsBy(before);
        register("a", before);
        register("b", before);

        waitUnformed(Duration.ofSeconds(10));
        Formation waiting = rebalancer.formation().orElseThrow();
        assertThat(waiting.missing()).containsExactly("c");
        assertThat(waiting.timeLeft()).contains(RESTART_WAIT.minusSeconds(10));
        assertThat(waiting.describe()).contains("c", "epoch 9", "20 s");

        register("c", before);
        assertThat(rebalancer.tick()).as("forms as soon as the last member registers").isTrue();

        assertThat(ring.current().nodes()).containsExactly("a", "b", "c");
        assertThat(membership.members()).allMatch(m -> m.isUp());
        assertThat(membership.member("c").orElseThrow().lastHeartbeat()).as("c's registration counts as a heartbeat")
                .isEqualTo(clock.instant());
        assertThat(membership.reap()).isEmpty();
        assertThat(rebalancer.formation()).isEmpty();
        assertThat(nodes.announced.get("http://c")).isEqualTo(new RingView(10, List.of("a", "b", "c")));
        assertThat(rebalancer.tick()).as("nothing left to change").isFalse();
        assertThat(nodes.calls).as("no copy, move or drop").isEmpty();
        assertPlacedByTheRing(Set.of());
    }

    @Test
    void restartWaitIsDecidedAgainstTheNewestRingReportedSoFar() {
        register("a", new RingView(9, List.of("a", "b", "c")));
        register("b", new RingView(9, List.of("a", "b", "c")));
        waitUnformed(Duration.ofSeconds(5));

        RingView newer = new RingView(10, List.of("a", "b", "c", "d"));
        register("c", newer);
        waitUnformed(Duration.ofSeconds(5));
        assertThat(rebalancer.formation().orElseThrow().missing()).containsExactly("d");

        register("d", newer);
        assertThat(rebalancer.tick()).isTrue();
        assertThat(ring.current().nodes()).containsExactly("a", "b", "c", "d");
        assertThat(nodes.announced.get("http://a").epoch()).isEqualTo(11);
        assertThat(nodes.calls).isEmpty();
    }

    @Test
    void everyReportedMemberRegisteredStillWaitsOutTheFormationWindowForANewerRing() {
        register("a", new RingView(9, List.of("a", "b", "c")));
        register("b", new RingView(9, List.of("a", "b", "c")));
        register("c", new RingView(9, List.of("a", "b", "c")));
        clock.advance(WINDOW.minusMillis(1));
        assertThat(rebalancer.tick()).isFalse();
        // Ring 10 was announced to d only before the old coordinator died: a, b, c never learned it.
        register("d", new RingView(10, List.of("a", "b", "c", "d")));

        clock.advance(Duration.ofMillis(1));
        assertThat(rebalancer.tick()).isTrue();

        assertThat(ring.current().nodes()).containsExactly("a", "b", "c", "d");
    }

    @Test
    void aMemberOfTheReportedRingMissingWhenTheRestartWaitEndsIsDownAndFailedOver() {
        RingView before = new RingView(9, List.of("a", "b", "c"));
        storedAsBy(before);
        register("a", before);
        register("b", new RingView(8, List.of("a", "b")));

        waitUnformed(RESTART_WAIT.minusSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        membership.heartbeat("a");
        membership.heartbeat("b");

        assertThat(rebalancer.tick()).isTrue();

        assertThat(ring.current().nodes()).containsExactly("a", "b", "c");
        assertThat(membership.member("c").orElseThrow().isUp()).isFalse();
        assertThat(nodes.announced.get("http://a").epoch()).isEqualTo(10);
        assertThat(nodes.calls).isEmpty();

        assertThat(rebalancer.tick()).isTrue();
        assertThat(ring.current().nodes()).containsExactly("a", "b");
        for (String key : KEYS) {
            List<String> holders = ring.current().preferenceList(key, 2);
            assertThat(nodes.table("http://" + holders.get(0), Table.OWN)).as(key).contains(key);
            assertThat(nodes.table("http://" + holders.get(1), Table.PREV)).as(key).contains(key);
        }
    }

    @Test
    void aMemberThatRegisteredThenFellSilentIsWaitedForLikeOneThatNeverRegistered() {
        RingView before = new RingView(9, List.of("a", "b", "c"));
        register("a", before);
        register("b", before);
        register("c", before);
        clock.advance(Duration.ofSeconds(2));
        membership.heartbeat("a");
        membership.heartbeat("b");
        clock.advance(Duration.ofSeconds(2));
        membership.heartbeat("a");
        membership.heartbeat("b");
        assertThat(membership.reap()).extracting(m -> m.id()).containsExactly("c");

        assertThat(rebalancer.tick()).isFalse();
        assertThat(rebalancer.formation().orElseThrow().missing()).containsExactly("c");

        membership.heartbeat("c");
        assertThat(rebalancer.tick()).isTrue();
        assertThat(membership.members()).allMatch(m -> m.isUp());
    }

    /** The group's state as a new leader finds it: the ring formed so far, every member recorded {@code up} or not. */
    private GroupState.Snapshot groupStateWithAllMembers(boolean up) {
        List<GroupState.Registration> members = membership.members().stream()
                .map(m -> new GroupState.Registration(m.id(), m.url(), null, up, false)).toList();
        return new GroupState.Snapshot(members, List.of(), new RingView(rebalancer.epoch(),
                List.copyOf(ring.current().nodes())), null, 0L);
    }

    @Test
    void aNewLeaderAfterAWholeClusterRestartFailsNothingOverWhileTheNodesRegisterAgain() {
        formWith("a", "b", "c");
        HashRing old = ring.current();
        GroupState.Snapshot state = groupStateWithAllMembers(false);
        nodes.calls.clear();

        membership.restore(state);
        rebalancer.takeOver(state);
        clock.advance(Duration.ofSeconds(5));
        assertThat(rebalancer.tick()).as("nobody registered yet").isFalse();
        register("b");
        clock.advance(Duration.ofSeconds(5));
        assertThat(rebalancer.tick()).as("a and c still starting").isFalse();
        register("a", "c");

        assertThat(rebalancer.tick()).isFalse();
        assertThat(ring.current().nodes()).isEqualTo(old.nodes());
        assertThat(nodes.calls).as("no data moved").noneMatch(c -> c.startsWith("copy") || c.startsWith("move")
                || c.startsWith("drop"));
        assertPlacedByTheRing(Set.of());
    }

    @Test
    void aRingMemberThatDoesNotRegisterWithANewLeaderIsFailedOverOnceTheRestartWaitHasPassed() {
        formWith("a", "b", "c");
        GroupState.Snapshot state = groupStateWithAllMembers(true);
        membership.restore(state);
        rebalancer.takeOver(state);
        kill("c");
        assertThat(membership.live()).containsExactly("a", "b");
        assertThat(rebalancer.tick()).as("c may be restarting on another port").isFalse();

        for (Duration waited = Duration.ofSeconds(4); waited.compareTo(RESTART_WAIT) <= 0; waited = waited.plusSeconds(4)) {
            kill("c");
        }

        assertThat(rebalancer.tick()).isTrue();
        assertThat(ring.current().nodes()).containsExactly("a", "b");
        assertPlacedByTheRing(Set.of("http://c"));
    }

    @Test
    void aFailoverThatWouldLeaveArcsWithoutAnyCopyKeepsTheRingUntilAHolderIsBack() {
        formWith("a", "b", "c");
        HashRing old = ring.current();
        kill("b", "c");
        nodes.calls.clear();

        assertThat(rebalancer.tick()).isFalse();
        assertThat(rebalancer.tick()).isFalse();

        assertThat(ring.current()).isSameAs(old);
        assertThat(nodes.calls).isEmpty();
        assertThat(rebalancer.status().lastError()).contains("no live copy");

        register("c");
        assertThat(rebalancer.tick()).as("b's arcs have a copy on c or a now").isTrue();
        assertThat(ring.current().nodes()).containsExactly("a", "c");
        assertPlacedByTheRing(Set.of("http://b"));
    }
}
