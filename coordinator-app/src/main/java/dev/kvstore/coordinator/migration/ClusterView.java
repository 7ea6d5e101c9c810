package dev.kvstore.coordinator.migration;

import dev.kvstore.coordinator.membership.NodeView;
import dev.kvstore.coordinator.membership.ReplicaCoverage;
import java.util.List;

/** {@code GET /nodes}: every node, the ring's replica coverage, and the migration in progress. */
public record ClusterView(List<NodeView> nodes, ReplicaCoverage ranges, MigrationStatus migration) {
}
