package dev.kvstore.model;

public enum TxnState {
    /** Voted yes, decision not known yet (at a coordinator: still collecting votes or deciding). */
    PREPARED,
    COMMITTED,
    ABORTED,
    /** Never seen, or forgotten after the outcome retention period. */
    UNKNOWN
}
