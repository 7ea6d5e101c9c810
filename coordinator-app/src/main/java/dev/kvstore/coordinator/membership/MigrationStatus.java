package dev.kvstore.coordinator.membership;

import java.time.Instant;

/**
 * What the rebalancer is doing, for {@code GET /nodes} and the health endpoint. Declared here, beside the
 * listing that shows it; the rebalancer reports it through {@link MigrationProgress}.
 *
 * @param change     the ring change in progress ("node-4 joins"), or null when idle
 * @param phase      planning, copying, moving, cut-over, dropping, or idle
 * @param keysToMove keys the copies and moves of this change will carry (counted when it starts)
 * @param keysMoved  keys carried so far
 * @param lastError  why the last attempt failed, if it did (it is retried)
 */
public record MigrationStatus(String change, String phase, long keysToMove, long keysMoved, Instant startedAt,
                              String lastError) {

    public static MigrationStatus idle(String lastError) {
        return new MigrationStatus(null, "idle", 0, 0, null, lastError);
    }
}
