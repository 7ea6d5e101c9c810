package dev.kvstore.coordinator.membership;

import java.time.Instant;
import java.util.List;

/**
 * A node as {@code GET /nodes} shows it.
 *
 * @param state     UP (live and holding its share of the ring), JOINING, LEAVING or DOWN
 * @param ringShare fraction of the hash space the node is primary for
 * @param ownKeys   keys in its own table, null when it could not be asked
 * @param prevKeys  keys in its prev table, null when it could not be asked
 */
public record NodeView(String id, String url, String state, Instant lastHeartbeat, double ringShare,
                       List<Long> positions, Integer ownKeys, Integer prevKeys) {
}
