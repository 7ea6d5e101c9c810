package dev.kvstore.model;

import java.util.List;

/**
 * Two-phase-commit calls for one node sent in one request, so that concurrent writes share HTTP
 * requests as their log records share fsyncs. The node handles the messages concurrently, each
 * exactly as its single endpoint would, and answers one {@link TxnReply} per message, in order.
 */
public record TxnBatch(List<TxnMessage> messages) {

    public TxnBatch {
        messages = messages == null ? List.of() : List.copyOf(messages);
    }
}
