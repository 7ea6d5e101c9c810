package dev.kvstore.node.cluster;

import dev.kvstore.model.NodeError;
import dev.kvstore.model.NodeErrorException;

/** A ring published without an epoch or members. */
public class InvalidRingException extends NodeErrorException {

    public InvalidRingException(String message) {
        super(NodeError.INVALID_REQUEST, message);
    }
}
