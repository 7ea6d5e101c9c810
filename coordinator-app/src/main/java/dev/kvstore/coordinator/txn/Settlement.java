package dev.kvstore.coordinator.txn;

import dev.kvstore.model.TxnState;

/** An operator's decision for a transaction in doubt: COMMITTED or ABORTED. */
public record Settlement(TxnState outcome) {
}
