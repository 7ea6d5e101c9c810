package dev.kvstore.model;

import java.util.List;

/**
 * Phase one for one key on one participant.
 *
 * @param key             the key, 1..1024 UTF-8 bytes
 * @param table           which of the participant's tables the write goes to
 * @param op              put or delete
 * @param value           the new value (put only)
 * @param contentType     the value's media type (put only)
 * @param expectedVersion a condition: {@code null} for none, {@code 0} for "must be absent", otherwise
 *                        the version the key must hold now; a mismatch is a no vote
 * @param peers           node ids of the other participants, asked for the outcome if the
 *                        coordinator cannot be reached after the decision timeout; a participant
 *                        finds a peer's current URL through the coordinator, so a peer restarted on
 *                        another address is still found. An absolute http(s) URL is used as it is:
 *                        logs written before peers were named by id hold URLs
 */
public record PrepareRequest(String key, Table table, WriteOp op, byte[] value, String contentType,
                             Long expectedVersion, List<String> peers) {

    public PrepareRequest {
        peers = peers == null ? List.of() : List.copyOf(peers);
    }
}
