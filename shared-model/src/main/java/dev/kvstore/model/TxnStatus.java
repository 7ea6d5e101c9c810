package dev.kvstore.model;

/** What one party knows of a transaction; {@code version} is set when committed. */
public record TxnStatus(String txId, TxnState state, long version) {

    public static TxnStatus of(String txId, TxnState state) {
        return new TxnStatus(txId, state, 0);
    }
}
