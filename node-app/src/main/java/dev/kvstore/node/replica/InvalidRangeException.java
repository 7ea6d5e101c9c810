package dev.kvstore.node.replica;

import dev.kvstore.model.NodeError;
import dev.kvstore.model.NodeErrorException;

/** A range operation that can never succeed as sent (missing table, missing or too many ranges): the caller must fix it. */
public class InvalidRangeException extends NodeErrorException {

    public InvalidRangeException(String message) {
        super(NodeError.INVALID_REQUEST, message);
    }
}
