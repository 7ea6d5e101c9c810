package dev.kvstore.coordinator.membership;

import dev.kvstore.coordinator.group.GroupServer;
import java.util.List;

/**
 * {@code GET /nodes}: every node, the ring's replica coverage, the migration in progress, and the
 * coordinators of the group with their roles.
 */
public record ClusterView(List<NodeView> nodes, ReplicaCoverage ranges, MigrationStatus migration,
                          List<GroupServer.CoordinatorStatus> coordinators) {
}
