package dev.kvstore.coordinator.membership;

/**
 * The ring change in progress, as {@code GET /nodes} shows it. A port: the rebalancer implements it,
 * since {@code migration} imports membership and membership may not import it back.
 */
@FunctionalInterface
public interface MigrationProgress {

    MigrationStatus status();
}
