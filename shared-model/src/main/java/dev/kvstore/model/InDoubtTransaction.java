package dev.kvstore.model;

import java.time.Instant;
import java.util.List;

/**
 * A transaction prepared on a node and not decided yet: it holds its key there until the coordinator,
 * a peer or an operator settles it.
 *
 * @param txId           the transaction id
 * @param key            the key it holds
 * @param table          the node's table the write goes to
 * @param op             put or delete
 * @param since          when the node prepared it, or recovered it from its log after a restart
 * @param peers          the other participants as the prepare named them (node ids; URLs in old logs)
 * @param currentVersion the version the node holds (or deleted) for the key now; a commit must be newer
 */
public record InDoubtTransaction(String txId, String key, Table table, WriteOp op, Instant since,
                                 List<String> peers, long currentVersion) {

    public InDoubtTransaction {
        peers = peers == null ? List.of() : List.copyOf(peers);
    }
}
