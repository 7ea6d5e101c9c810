package dev.kvstore.coordinator.migration;

import dev.kvstore.coordinator.ring.HashRing;
import dev.kvstore.model.HashRange;
import dev.kvstore.model.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Plans the move from one ring to the next. The two rings' positions together cut the circle into
 * arcs on which both rings are constant; for each arc it compares the old holders (primary in
 * {@code own}, replica in {@code prev}) with the new ones and emits the copies, moves and drops that
 * turn one into the other.
 */
public final class MigrationPlanner {

    static final int REPLICAS = HashRing.REPLICAS;
    private static final HashRange WHOLE_RING = new HashRange(0, 0);

    private MigrationPlanner() {
    }

    /**
     * @param live     nodes that can serve as copy sources and take drops
     * @param entering nodes joining the ring, whose tables are emptied first and then filled as if they
     *                 held nothing (they may hold stale data from before they left)
     */
    public static MigrationPlan plan(HashRing from, HashRing to, Set<String> live, Set<String> entering) {
        TreeSet<Long> cuts = new TreeSet<>(from.positions().keySet());
        cuts.addAll(to.positions().keySet());
        List<Step.Drop> cleanups = new ArrayList<>();
        for (String node : entering) {
            if (to.nodes().contains(node)) {
                cleanups.add(new Step.Drop(node, Table.OWN, List.of(WHOLE_RING)));
                cleanups.add(new Step.Drop(node, Table.PREV, List.of(WHOLE_RING)));
            }
        }
        Map<Step.Copy, List<HashRange>> copies = new LinkedHashMap<>();
        Map<Step.Move, List<HashRange>> moves = new LinkedHashMap<>();
        Map<Step.Drop, List<HashRange>> drops = new LinkedHashMap<>();
        List<HashRange> moving = new ArrayList<>();
        List<HashRange> lost = new ArrayList<>();
        if (cuts.isEmpty()) {
            return new MigrationPlan(cleanups, List.of(), List.of(), List.of(), List.of(), List.of());
        }
        long previous = cuts.last();
        for (long cut : cuts) {
            HashRange arc = new HashRange(previous, cut);
            previous = cut;
            List<String> before = from.preferenceList(cut, REPLICAS);
            List<String> after = to.preferenceList(cut, REPLICAS);
            boolean entersHere = after.stream().anyMatch(entering::contains);
            if (before.equals(after) && !entersHere) {
                continue;
            }
            moving.add(arc);
            String source = before.stream().filter(n -> live.contains(n) && !entering.contains(n)).findFirst().orElse(null);
            for (int i = 0; i < after.size(); i++) {
                String holder = after.get(i);
                Table table = tableAt(i);
                int was = entering.contains(holder) ? -1 : before.indexOf(holder);
                if (was == i) {
                    continue;
                }
                if (was >= 0) {
                    add(moves, new Step.Move(holder, tableAt(was), table, List.of()), arc);
                } else if (source == null) {
                    if (!before.isEmpty()) {
                        lost.add(arc);
                    }
                } else {
                    add(copies, new Step.Copy(holder, table, source, tableAt(before.indexOf(source)), List.of()), arc);
                }
            }
            for (int i = 0; i < before.size(); i++) {
                String holder = before.get(i);
                if (!after.contains(holder) && live.contains(holder)) {
                    add(drops, new Step.Drop(holder, tableAt(i), List.of()), arc);
                }
            }
        }
        return new MigrationPlan(cleanups,
                collect(copies, (c, r) -> new Step.Copy(c.target(), c.targetTable(), c.source(), c.sourceTable(), r)),
                collect(moves, (m, r) -> new Step.Move(m.node(), m.from(), m.to(), r)),
                collect(drops, (d, r) -> new Step.Drop(d.node(), d.table(), r)),
                merge(moving), merge(lost));
    }

    private static Table tableAt(int index) {
        return index == 0 ? Table.OWN : Table.PREV;
    }

    private static <S> void add(Map<S, List<HashRange>> steps, S key, HashRange arc) {
        steps.computeIfAbsent(key, k -> new ArrayList<>()).add(arc);
    }

    private static <S extends Step> List<S> collect(Map<S, List<HashRange>> steps,
                                                    java.util.function.BiFunction<S, List<HashRange>, S> withRanges) {
        List<S> out = new ArrayList<>(steps.size());
        steps.forEach((step, arcs) -> out.add(withRanges.apply(step, merge(arcs))));
        return out;
    }

    /** Joins arcs that follow one another, so a step carries a few long arcs rather than many short ones. */
    static List<HashRange> merge(List<HashRange> arcs) {
        List<HashRange> merged = new ArrayList<>();
        for (HashRange arc : arcs) {
            if (!merged.isEmpty() && merged.getLast().toInclusive() == arc.fromExclusive()) {
                HashRange last = merged.removeLast();
                merged.add(new HashRange(last.fromExclusive(), arc.toInclusive()));
            } else {
                merged.add(arc);
            }
        }
        if (merged.size() > 1 && merged.getLast().toInclusive() == merged.getFirst().fromExclusive()) {
            HashRange last = merged.removeLast();
            HashRange first = merged.removeFirst();
            merged.addFirst(new HashRange(last.fromExclusive(), first.toInclusive()));
        }
        if (merged.size() == 1 && merged.getFirst().fromExclusive() == merged.getFirst().toInclusive()) {
            return List.of(WHOLE_RING);
        }
        return List.copyOf(merged);
    }
}
