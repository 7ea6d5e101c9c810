package dev.kvstore.node.participant;

import dev.kvstore.model.NodeError;
import dev.kvstore.model.NodeErrorException;

/** A prepare that can never succeed as sent: the caller must fix the request. */
public class InvalidPrepareException extends NodeErrorException {

    public InvalidPrepareException(String message) {
        this(NodeError.INVALID_REQUEST, message);
    }

    protected InvalidPrepareException(NodeError error, String message) {
        super(error, message);
    }
}
