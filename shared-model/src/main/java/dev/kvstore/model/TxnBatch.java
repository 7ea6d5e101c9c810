package dev.kvstore.model;

import java.util.List;

/**
 * Two-phase-commit messages for one node sent in one request ({@code POST /internal/txn/batch}), so that
 * concurrent writes share HTTP requests as their log records share fsyncs: the only way the coordinator
 * prepares, commits and aborts. The node handles the messages concurrently, each on its own, and answers
 * one {@link TxnReply} per message, in order; one failing does not fail the others.
 */
public record TxnBatch(List<TxnMessage> messages) {

    public TxnBatch {
        messages = messages == null ? List.of() : List.copyOf(messages);
    }
}
