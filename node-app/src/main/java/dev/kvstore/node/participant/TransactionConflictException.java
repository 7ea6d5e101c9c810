package dev.kvstore.node.participant;

import dev.kvstore.model.NodeError;
import dev.kvstore.model.NodeErrorException;

/** A decision that contradicts the one already taken (commit after abort, or the reverse). */
public class TransactionConflictException extends NodeErrorException {

    public TransactionConflictException(String message) {
        super(NodeError.TRANSACTION_DECIDED, message);
    }
}
