package dev.kvstore.coordinator.membership;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * A node as {@code GET /nodes} shows it.
 *
 * @param state              UP (live and holding its share of the ring), JOINING, LEAVING or DOWN
 * @param heartbeatAgeMillis how long ago the coordinator last heard from the node
 * @param ringShare          fraction of the hash space the node is primary for
 * @param positions          its tokens on the ring (kv.membership.virtual-nodes of them); only when asked
 *                           for, left out otherwise
 * @param ownKeys            keys in its own table, null when it could not be asked
 * @param prevKeys           keys in its prev table, null when it could not be asked
 * @param writable           whether its log makes writes durable, as it last said; a node that cannot is out
 *                           of the write path (writes to its keys 503, reads go to the other copy) and is failed
 *                           over like a DOWN node if it still cannot after the heartbeat timeout
 * @param notWritableReason  why not (the error its log hit); left out while writable
 * @param diskFull           whether its disk is below the high watermark: it refuses new values (507) but
 *                           takes deletes
 */
public record NodeView(String id, String url, String state, Instant lastHeartbeat, long heartbeatAgeMillis,
                       double ringShare, @JsonInclude(JsonInclude.Include.NON_NULL) List<Long> positions,
                       Integer ownKeys, Integer prevKeys, boolean writable,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String notWritableReason, boolean diskFull) {
}
