package dev.kvstore.model;

import java.util.List;

/** One reply per message of a {@link TxnBatch}, in the batch's order. */
public record TxnBatchReply(List<TxnReply> replies) {

    public TxnBatchReply {
        replies = replies == null ? List.of() : List.copyOf(replies);
    }
}
