package dev.kvstore.model;

import java.util.List;

/** One reply per read of a {@link ReadBatch}, in the batch's order. */
public record ReadBatchReply(List<ReadReply> replies) {

    public ReadBatchReply {
        replies = replies == null ? List.of() : List.copyOf(replies);
    }
}
