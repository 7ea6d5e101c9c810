package dev.kvstore.node.storage;

import dev.kvstore.model.NodeError;
import dev.kvstore.model.NodeErrorException;

/** A table name other than {@code own} or {@code prev}. */
public class UnknownTableException extends NodeErrorException {

    public UnknownTableException(String table) {
        super(NodeError.INVALID_REQUEST, "unknown table '" + table + "'; use 'own' or 'prev'");
    }
}
