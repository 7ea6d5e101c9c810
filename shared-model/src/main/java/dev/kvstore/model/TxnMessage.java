package dev.kvstore.model;

/**
 * One two-phase-commit message inside a {@link TxnBatch}, for one transaction: phase one (prepare) or
 * the decision (commit, abort). A lone message travels as a batch of one.
 *
 * @param txId    the transaction
 * @param kind    which call
 * @param prepare the write, for {@link Kind#PREPARE} only
 * @param version the version to commit with, for {@link Kind#COMMIT} only
 */
public record TxnMessage(String txId, Kind kind, PrepareRequest prepare, Long version) {

    public enum Kind { PREPARE, COMMIT, ABORT }

    public static TxnMessage prepare(String txId, PrepareRequest request) {
        return new TxnMessage(txId, Kind.PREPARE, request, null);
    }

    public static TxnMessage commit(String txId, long version) {
        return new TxnMessage(txId, Kind.COMMIT, null, version);
    }

    public static TxnMessage abort(String txId) {
        return new TxnMessage(txId, Kind.ABORT, null, null);
    }
}
