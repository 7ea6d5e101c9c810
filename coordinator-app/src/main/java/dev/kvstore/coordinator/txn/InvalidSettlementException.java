package dev.kvstore.coordinator.txn;

/** A settlement that names no decision: only COMMITTED and ABORTED settle a transaction. */
public class InvalidSettlementException extends RuntimeException {

    public InvalidSettlementException(String message) {
        super(message);
    }
}
