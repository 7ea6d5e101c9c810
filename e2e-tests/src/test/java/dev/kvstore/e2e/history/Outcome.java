package dev.kvstore.e2e.history;

/** How an operation ended, as far as the client could tell. */
public enum Outcome {
    /** Took effect; the answer (version, value read) is known. */
    OK,
    /** Definitely did not take effect (503, 412, connection refused before sending, ...). */
    FAIL,
    /** May or may not have taken effect (timeout, connection lost mid-request, 504); if it did, its version is unknown. */
    UNKNOWN,
    /** Never completed (still in flight when the history was taken); counts as {@link #UNKNOWN}. */
    PENDING
}
