package dev.kvstore.coordinator.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvstore.coordinator.ring.HashRing;
import dev.kvstore.model.HashRange;
import dev.kvstore.model.Table;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Applies plans to simulated nodes and checks the outcome key by key: afterwards every key sits in
 * the new primary's own table and the new replica's prev table, and nowhere else.
 */
class MigrationPlannerTest {

    private static final int VNODES = 16;
    private static final List<String> KEYS = java.util.stream.IntStream.range(0, 3000).mapToObj(i -> "key-" + i).toList();

    /** node -> table -> keys */
    private final Map<String, Map<Table, Set<String>>> cluster = new HashMap<>();

    private Set<String> table(String node, Table table) {
        return cluster.computeIfAbsent(node, n -> new HashMap<>()).computeIfAbsent(table, t -> new TreeSet<>());
    }

    private void place(HashRing ring) {
        for (String key : KEYS) {
            List<String> holders = ring.preferenceList(key, 2);
            table(holders.get(0), Table.OWN).add(key);
            table(holders.get(1), Table.PREV).add(key);
        }
    }

    private static boolean inAny(List<HashRange> ranges, String key) {
        return ranges.stream().anyMatch(r -> r.containsKey(key));
    }

    /** Runs the plan the way the rebalancer does: cleanups, copies (reading the state before moves), moves, drops. */
    private void apply(MigrationPlan plan) {
        plan.cleanups().forEach(d -> table(d.node(), d.table()).removeIf(k -> inAny(d.ranges(), k)));
        Map<Step.Copy, List<String>> copied = new HashMap<>();
        for (Step.Copy c : plan.copies()) {
            copied.put(c, table(c.source(), c.sourceTable()).stream().filter(k -> inAny(c.ranges(), k)).toList());
        }
        copied.forEach((c, keys) -> table(c.target(), c.targetTable()).addAll(keys));
        for (Step.Move m : plan.moves()) {
            List<String> moving = table(m.node(), m.from()).stream().filter(k -> inAny(m.ranges(), k)).toList();
            table(m.node(), m.from()).removeAll(moving);
            table(m.node(), m.to()).addAll(moving);
        }
        plan.drops().forEach(d -> table(d.node(), d.table()).removeIf(k -> inAny(d.ranges(), k)));
    }

    private void assertPlacedExactlyBy(HashRing ring, Set<String> gone) {
        for (String key : KEYS) {
            List<String> holders = ring.preferenceList(key, 2);
            List<String> found = new ArrayList<>();
            cluster.forEach((node, tables) -> {
                if (!gone.contains(node)) {
                    tables.forEach((table, keys) -> {
                        if (keys.contains(key)) {
                            found.add(node + "/" + table);
                        }
                    });
                }
            });
            assertThat(found).as(key).containsExactlyInAnyOrder(holders.get(0) + "/OWN", holders.get(1) + "/PREV");
        }
    }

    private static HashRing ring(String... nodes) {
        return HashRing.of(List.of(nodes), VNODES);
    }

    @Test
    void deadNodesKeysRegainTwoCopiesFromTheSurvivors() {
        HashRing before = ring("a", "b", "c", "d");
        place(before);
        HashRing after = ring("a", "b", "c");

        MigrationPlan plan = MigrationPlanner.plan(before, after, Set.of("a", "b", "c"), Set.of());
        apply(plan);

        assertPlacedExactlyBy(after, Set.of("d"));
        assertThat(plan.lost()).isEmpty();
        assertThat(plan.moves()).as("a successor promotes its prev copies").isNotEmpty();
        assertThat(plan.copies()).allSatisfy(c -> assertThat(c.source()).isNotEqualTo("d"));
        assertThat(plan.drops()).allSatisfy(d -> assertThat(d.node()).isNotEqualTo("d"));
    }

    @Test
    void returningNodeStartsCleanSoKeysDeletedWhileItWasAwayStayDeleted() {
        HashRing before = ring("a", "b", "c");
        place(before);
        table("d", Table.OWN).add("deleted-while-away");
        table("d", Table.PREV).addAll(KEYS.subList(0, 50));
        HashRing after = ring("a", "b", "c", "d");

        apply(MigrationPlanner.plan(before, after, Set.of("a", "b", "c", "d"), Set.of("d")));

        assertPlacedExactlyBy(after, Set.of());
        assertThat(table("d", Table.OWN)).doesNotContain("deleted-while-away");
    }

    @Test
    void newNodeTakesItsShareAndTheOldHoldersDropWhatTheyNoLongerNeed() {
        HashRing before = ring("a", "b", "c");
        place(before);
        HashRing after = ring("a", "b", "c", "e");

        MigrationPlan plan = MigrationPlanner.plan(before, after, Set.of("a", "b", "c", "e"), Set.of("e"));
        apply(plan);

        assertPlacedExactlyBy(after, Set.of());
        assertThat(table("e", Table.OWN).size() + table("e", Table.PREV).size()).isPositive();
        assertThat(plan.copies()).allSatisfy(c -> assertThat(c.target()).isEqualTo("e"));
    }

    @Test
    void gracefullyRemovedNodeHandsItsDataOnBeforeLeaving() {
        HashRing before = ring("a", "b", "c", "d");
        place(before);
        HashRing after = ring("a", "b", "c");

        MigrationPlan plan = MigrationPlanner.plan(before, after, Set.of("a", "b", "c", "d"), Set.of());
        apply(plan);

        assertPlacedExactlyBy(after, Set.of());
        assertThat(table("d", Table.OWN)).as("the leaving node keeps nothing").isEmpty();
        assertThat(table("d", Table.PREV)).isEmpty();
    }

    @Test
    void movingArcsCoverEveryKeyWhoseHoldersChangeAndNoOther() {
        HashRing before = ring("a", "b", "c");
        HashRing after = ring("a", "b", "c", "e");

        MigrationPlan plan = MigrationPlanner.plan(before, after, Set.of("a", "b", "c", "e"), Set.of());

        for (String key : KEYS) {
            boolean changes = !before.preferenceList(key, 2).equals(after.preferenceList(key, 2));
            assertThat(inAny(plan.moving(), key)).as(key).isEqualTo(changes);
        }
    }

    @Test
    void unchangedRingNeedsNothing() {
        HashRing same = ring("a", "b", "c");

        assertThat(MigrationPlanner.plan(same, ring("c", "b", "a"), Set.of("a", "b", "c"), Set.of()).isEmpty()).isTrue();
    }

    @Test
    void arcsWithoutALiveOldHolderAreReportedLost() {
        HashRing before = ring("a", "b", "c");
        HashRing after = ring("a");

        MigrationPlan plan = MigrationPlanner.plan(before, after, Set.of("a"), Set.of());

        Set<String> lostKeys = new HashSet<>();
        for (String key : KEYS) {
            if (!before.preferenceList(key, 2).contains("a")) {
                lostKeys.add(key);
            }
        }
        assertThat(lostKeys).isNotEmpty().allSatisfy(k -> assertThat(inAny(plan.lost(), k)).isTrue());
    }

    @Test
    void adjacentArcsMergeAndAFullCircleBecomesTheWholeRing() {
        assertThat(MigrationPlanner.merge(List.of(new HashRange(1, 5), new HashRange(5, 9), new HashRange(20, 30))))
                .containsExactly(new HashRange(1, 9), new HashRange(20, 30));
        assertThat(MigrationPlanner.merge(List.of(new HashRange(30, 1), new HashRange(1, 5), new HashRange(20, 30))))
                .containsExactly(new HashRange(20, 5));
        assertThat(MigrationPlanner.merge(List.of(new HashRange(9, 1), new HashRange(1, 9))))
                .containsExactly(new HashRange(0, 0));
    }
}
