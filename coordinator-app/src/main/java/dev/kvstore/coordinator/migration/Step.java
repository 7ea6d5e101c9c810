package dev.kvstore.coordinator.migration;

import dev.kvstore.model.HashRange;
import dev.kvstore.model.Table;
import java.util.List;

/** One operation of a migration, on one node, over a set of arcs. */
public sealed interface Step {

    List<HashRange> ranges();

    /** {@code target} pulls the arcs of {@code source}'s {@code sourceTable} into its {@code targetTable}. */
    record Copy(String target, Table targetTable, String source, Table sourceTable, List<HashRange> ranges)
            implements Step {
    }

    /** The node moves the arcs from one of its tables to the other (a replica becoming primary, or back). */
    record Move(String node, Table from, Table to, List<HashRange> ranges) implements Step {
    }

    /** The node deletes the arcs from a table. */
    record Drop(String node, Table table, List<HashRange> ranges) implements Step {
    }
}
