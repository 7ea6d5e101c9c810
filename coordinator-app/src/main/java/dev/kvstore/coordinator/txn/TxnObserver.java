package dev.kvstore.coordinator.txn;

/**
 * Hears how each two-phase commit went, for metrics. Called on the thread driving the write, after
 * the phase it reports; implementations must be cheap and must not throw.
 */
public interface TxnObserver {

    TxnObserver NONE = new TxnObserver() {
    };

    /** Why a write was aborted. */
    enum AbortReason {
        /** The expected version did not match (If-Match, If-None-Match, delete of an absent key). */
        CONDITION_FAILED,
        /** A replica voted no: the key is held by another unfinished transaction there. */
        VOTE_NO,
        /** A replica could not be reached or failed to prepare. */
        UNAVAILABLE
    }

    /** Every replica voted, or failed to, {@code nanos} after the prepares went out. */
    default void prepared(long nanos) {
    }

    /**
     * Decided commit; the commit phase took {@code nanos}. {@code confirmed} when every replica
     * acknowledged within the commit patience (otherwise the client hears the write is unconfirmed
     * and the coordinator keeps re-sending it).
     */
    default void committed(long nanos, boolean confirmed) {
    }

    /** Decided abort; the abort phase took {@code nanos}. */
    default void aborted(AbortReason reason, long nanos) {
    }
}
