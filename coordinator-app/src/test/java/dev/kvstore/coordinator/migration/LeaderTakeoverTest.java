package dev.kvstore.coordinator.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.coordinator.MutableClock;
import dev.kvstore.coordinator.group.GroupCommand;
import dev.kvstore.coordinator.group.GroupLog;
import dev.kvstore.coordinator.group.GroupState;
import dev.kvstore.coordinator.membership.Membership;
import dev.kvstore.coordinator.ring.RingHolder;
import dev.kvstore.coordinator.ring.WriteGate;
import dev.kvstore.model.HashRange;
import dev.kvstore.model.RingView;
import dev.kvstore.model.Table;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The leader change protocol, explored: a leader dies at every point of a ring change (before and after
 * each call to a node, before and after each commit to the group's log), and a new leader takes over
 * from what the log holds. Whatever the point, once the new leader has settled the change and caught
 * up, every key is on exactly its two replicas under the group's ring, and no key was lost.
 */
class LeaderTakeoverTest {

    private static final int VNODES = 16;
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration RESTART_WAIT = Duration.ofSeconds(30);
    private static final List<String> KEYS = IntStream.range(0, 600).mapToObj(i -> "k" + i).toList();

    /** The leader's process dying: not an exception its code catches and cleans up after. */
    private static final class Crash extends Error {
        Crash() {
            super("the leader crashed", null, false, false);
        }
    }

    /** Where the leader dies: at the {@code index}-th node call or group commit, before it or after it. */
    private record CrashPoint(boolean atCommit, int index, boolean after) {
    }

    /** The group's log, one pure state shared by every leader; the leader may die around a commit. */
    private static final class Log implements GroupLog {
        final GroupState state = new GroupState();
        CrashPoint crash;
        int commits;

        @Override
        public GroupCommand.Result submit(GroupCommand command) {
            int n = commits++;
            boolean here = crash != null && crash.atCommit() && crash.index() == n;
            if (here && !crash.after()) {
                throw new Crash();
            }
            GroupCommand.Result result = state.apply(command);
            if (here) {
                throw new Crash();
            }
            return result;
        }
    }

    /** The nodes (they outlive any leader); the leader may die around any call it makes to them. */
    private static final class Nodes implements MigrationTransport {
        final RebalancerTest.FakeNodes nodes = new RebalancerTest.FakeNodes();
        CrashPoint crash;
        int calls;

        private <T> T call(java.util.function.Supplier<T> work) {
            int n = calls++;
            boolean here = crash != null && !crash.atCommit() && crash.index() == n;
            if (here && !crash.after()) {
                throw new Crash();
            }
            T result = work.get();
            if (here) {
                throw new Crash();
            }
            return result;
        }

        @Override
        public long copy(String targetUrl, Table targetTable, String sourceUrl, Table sourceTable, List<HashRange> ranges) {
            return call(() -> nodes.copy(targetUrl, targetTable, sourceUrl, sourceTable, ranges));
        }

        @Override
        public long move(String url, Table from, Table to, List<HashRange> ranges) {
            return call(() -> nodes.move(url, from, to, ranges));
        }

        @Override
        public long drop(String url, Table table, List<HashRange> ranges) {
            return call(() -> nodes.drop(url, table, ranges));
        }

        /** Not a crash point: the leader tells the nodes in parallel, and a lost announcement is harmless. */
        @Override
        public void announceRing(String url, RingView ring) {
            nodes.announceRing(url, ring);
        }

        @Override
        public long count(String url, Table table, List<HashRange> ranges) {
            return call(() -> nodes.count(url, table, ranges));
        }
    }

    /** One leader: its working state, over the shared log and nodes. */
    private static final class Leader {
        final Membership membership;
        final RingHolder ring = new RingHolder();
        final Rebalancer rebalancer;

        Leader(MutableClock clock, Log log, Nodes nodes) {
            membership = new Membership(clock, HEARTBEAT_TIMEOUT, log);
            rebalancer = new Rebalancer(membership, ring, nodes, new WriteGate(), VNODES, clock, Duration.ofSeconds(3),
                    RESTART_WAIT, log);
        }
    }

    @Test
    void aLeaderDyingAnywhereInAFailoverLeavesEveryKeyOnItsTwoReplicasOnceTheNextLeaderTakesOver() {
        int explored = explore(List.of("a", "b", "c", "d"), world -> {
            world.nodes.nodes.failing.add("http://d");
            world.heartbeatsFromAllBut(Set.of("d"));
        }, Set.of("http://d"));
        assertThat(explored).as("crash points explored").isGreaterThan(10);
    }

    @Test
    void aLeaderDyingAnywhereInAJoinLeavesEveryKeyOnItsTwoReplicasOnceTheNextLeaderTakesOver() {
        int explored = explore(List.of("a", "b", "c"), world -> world.first.membership.register("d", "http://d"), Set.of());
        assertThat(explored).as("crash points explored").isGreaterThan(10);
    }

    /** Everything that outlives a leader, and the first leader. */
    private static final class World {
        final MutableClock clock = new MutableClock();
        final Log log = new Log();
        final Nodes nodes = new Nodes();
        final Leader first = new Leader(clock, log, nodes);
        Leader current = first;

        void heartbeatsFromAllBut(Set<String> dead) {
            clock.advance(HEARTBEAT_TIMEOUT.plusSeconds(1));
            current.membership.members().stream().filter(m -> !dead.contains(m.id()))
                    .forEach(m -> current.membership.heartbeat(m.id()));
            current.membership.reap();
        }
    }

    /**
     * Runs the change once without a crash to count its node calls and commits, then once per crash
     * point; returns how many crash points it explored.
     */
    private int explore(List<String> initial, Consumer<World> change, Set<String> dead) {
        World dry = formed(initial);
        change.accept(dry);
        int callsBefore = dry.nodes.calls;
        int commitsBefore = dry.log.commits;
        dry.first.rebalancer.tick();
        int calls = dry.nodes.calls - callsBefore;
        int commits = dry.log.commits - commitsBefore;
        assertPlacedByTheRing(dry, dead);

        int explored = 0;
        for (boolean atCommit : List.of(false, true)) {
            for (int index = 0; index < (atCommit ? commits : calls); index++) {
                for (boolean after : List.of(false, true)) {
                    World world = formed(initial);
                    change.accept(world);
                    CrashPoint crash = new CrashPoint(atCommit, index + (atCommit ? world.log.commits : world.nodes.calls), after);
                    world.log.crash = crash;
                    world.nodes.crash = crash;
                    boolean crashed = false;
                    try {
                        world.first.rebalancer.tick();
                    } catch (Crash expected) {
                        crashed = true;
                    }
                    assertThat(crashed).as("the leader died at %s", crash).isTrue();
                    world.log.crash = null;
                    world.nodes.crash = null;
                    takeOver(world, dead);
                    assertPlacedByTheRing(world, dead);
                    explored++;
                }
            }
        }
        return explored;
    }

    /** A second leader, from the log alone: takeover, then the reaper and rebalancer until nothing changes. */
    private static void takeOver(World world, Set<String> dead) {
        Leader next = new Leader(world.clock, world.log, world.nodes);
        GroupState.Snapshot state = world.log.state.snapshot();
        next.membership.restore(state);
        next.rebalancer.takeOver(state);
        world.current = next;
        Set<String> deadIds = dead.stream().map(url -> url.substring("http://".length()))
                .collect(java.util.stream.Collectors.toSet());
        // A dead ring member is waited for after a takeover (it may be restarting elsewhere), then failed over.
        for (int beats = 0; beats * HEARTBEAT_TIMEOUT.plusSeconds(1).toSeconds() <= RESTART_WAIT.toSeconds(); beats++) {
            world.heartbeatsFromAllBut(deadIds);
        }
        for (int tick = 0; tick < 5 && next.rebalancer.tick(); tick++) {
            // each tick moves the ring one node closer to the live nodes
        }
        assertThat(next.rebalancer.tick()).as("settled").isFalse();
        assertThat(world.log.state.snapshot().ring().nodes()).as("the group's ring is the one routed by")
                .containsExactlyElementsOf(next.ring.current().nodes());
        assertThat(world.log.state.snapshot().migration()).as("no change left open").isNull();
    }

    private static World formed(List<String> ids) {
        World world = new World();
        ids.forEach(id -> world.first.membership.register(id, "http://" + id));
        world.clock.advance(Duration.ofSeconds(3));
        assertThat(world.first.rebalancer.tick()).isTrue();
        for (String key : KEYS) {
            List<String> holders = world.first.ring.current().preferenceList(key, 2);
            world.nodes.nodes.table("http://" + holders.get(0), Table.OWN).add(key);
            world.nodes.nodes.table("http://" + holders.get(1), Table.PREV).add(key);
        }
        return world;
    }

    private static void assertPlacedByTheRing(World world, Set<String> ignoring) {
        RebalancerTest.assertPlacedBy(world.current.ring.current(), world.nodes.nodes, ignoring, KEYS);
    }
}
