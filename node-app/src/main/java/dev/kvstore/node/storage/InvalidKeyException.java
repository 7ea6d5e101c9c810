package dev.kvstore.node.storage;

import dev.kvstore.model.NodeError;
import dev.kvstore.model.NodeErrorException;

/** A key no write could have stored (empty, or over the length limit). */
public class InvalidKeyException extends NodeErrorException {

    public InvalidKeyException(String problem) {
        super(NodeError.INVALID_REQUEST, problem);
    }
}
