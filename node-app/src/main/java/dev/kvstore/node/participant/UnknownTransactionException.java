package dev.kvstore.node.participant;

import dev.kvstore.model.NodeError;
import dev.kvstore.model.NodeErrorException;

/** A commit for a transaction this participant never prepared (or has forgotten). */
public class UnknownTransactionException extends NodeErrorException {

    public UnknownTransactionException(String txId) {
        super(NodeError.UNKNOWN_TRANSACTION, "transaction " + txId + " was never prepared here, or its outcome has expired");
    }
}
