package dev.kvstore.coordinator.txn;

/** A settlement that would contradict a decision already taken: the replicas could then disagree. */
public class SettlementConflictException extends RuntimeException {

    public SettlementConflictException(String message) {
        super(message);
    }
}
