package dev.kvstore.node.participant;

import dev.kvstore.model.NodeError;

/** A prepare whose value is over {@code kv.node.max-value-size}: answered 413 rather than 400. */
public class ValueTooLargeException extends InvalidPrepareException {

    public ValueTooLargeException(int size, int limit) {
        super(NodeError.VALUE_TOO_LARGE, "the value is " + size + " bytes; the limit is " + limit);
    }
}
