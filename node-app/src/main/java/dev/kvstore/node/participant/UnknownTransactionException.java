package dev.kvstore.node.participant;

/** A commit for a transaction this participant never prepared (or has forgotten). */
public class UnknownTransactionException extends RuntimeException {

    public UnknownTransactionException(String txId) {
        super("transaction " + txId + " was never prepared here, or its outcome has expired");
    }
}
