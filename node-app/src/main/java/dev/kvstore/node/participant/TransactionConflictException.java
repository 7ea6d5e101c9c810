package dev.kvstore.node.participant;

/** A decision that contradicts the one already taken (commit after abort, or the reverse). */
public class TransactionConflictException extends RuntimeException {

    public TransactionConflictException(String message) {
        super(message);
    }
}
