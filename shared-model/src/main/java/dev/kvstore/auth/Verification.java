package dev.kvstore.auth;

/** What a {@link RequestVerifier} concluded about a request. */
public sealed interface Verification {

    /** Why a request was refused. */
    enum Reason {
        /** No {@code Authorization} header. */
        MISSING,
        /** An {@code Authorization} header that is not a well-formed KV-HMAC signature. */
        MALFORMED,
        /** Signed longer ago than the allowed clock skew. */
        STALE,
        /** Signed further in the future than the allowed clock skew. */
        FUTURE,
        /** The signature does not match: another secret, or the request was altered on the way. */
        BAD_SIGNATURE,
        /** A request that may be accepted only once was sent again. */
        REPLAYED
    }

    /** Signed with the cluster secret, at {@code timestamp} (epoch seconds), with this nonce. */
    record Accepted(long timestamp, String nonce) implements Verification {
    }

    /**
     * Refused.
     *
     * @param detail what was wrong, for the caller and the log; never the expected signature
     */
    record Rejected(Reason reason, String detail) implements Verification {
    }
}
