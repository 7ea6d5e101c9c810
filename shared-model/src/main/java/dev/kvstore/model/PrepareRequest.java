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
 * @param version         the version the write commits at, chosen by the coordinator before it prepares, so
 *                        that replicas settling a transaction in doubt among themselves commit the same write;
 *                        0 in records written before versions were chosen up front (such a write commits at
 *                        the version its COMMIT carries)
 * @param mustExist       a condition: the key must exist ({@code If-Match: *}, and every DELETE); its absence
 *                        is a no vote
 */
public record PrepareRequest(String key, Table table, WriteOp op, byte[] value, String contentType,
                             Long expectedVersion, List<String> peers, Long version, Boolean mustExist) {

    /** Absent version and condition (a client of the JSON API that does not send them) read as 0 and false. */
    public PrepareRequest {
        peers = peers == null ? List.of() : List.copyOf(peers);
        version = version == null ? 0L : version;
        mustExist = mustExist != null && mustExist;
    }

    /** A write with no version chosen yet and no existence condition. */
    public PrepareRequest(String key, Table table, WriteOp op, byte[] value, String contentType,
                          Long expectedVersion, List<String> peers) {
        this(key, table, op, value, contentType, expectedVersion, peers, 0L, false);
    }

    /** The same write for another table. */
    public PrepareRequest in(Table other) {
        return new PrepareRequest(key, other, op, value, contentType, expectedVersion, peers, version, mustExist);
    }

    /** The same write at {@code newVersion}. */
    public PrepareRequest at(long newVersion) {
        return new PrepareRequest(key, table, op, value, contentType, expectedVersion, peers, newVersion, mustExist);
    }
}
