package dev.kvstore.coordinator.txn;

/**
 * Hears how each two-phase commit went, for metrics. Called after the phase it reports; implementations
 * must be cheap, thread-safe and must not throw.
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
     * The COMMITs of a write answered "written" were sent, {@code nanos} after its votes were in (on the
     * thread that saw the last acknowledgement or failure). {@code confirmed} when every replica acknowledged
     * at once (otherwise the coordinator keeps re-sending it).
     */
    default void committed(long nanos, boolean confirmed) {
    }

    /** Decided abort; the abort phase took {@code nanos}. */
    default void aborted(AbortReason reason, long nanos) {
    }
}
